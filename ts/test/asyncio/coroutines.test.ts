// Coroutine objects: "coroutine '…' was never awaited" for one that nothing started or took,
// and for no other — including when many are made in one stretch of loop iterations, which
// sweeps the young list before Node gets a turn (coroutines.ts, noteYoung).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const index = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "asyncio", "index.js");

/** Runs `body` (module code with `asyncio` imported) in a child node with --expose-gc; gives its stderr. */
function warningsOf(body: string): string {
  const src = `import * as asyncio from ${JSON.stringify(index)};
const collect = async () => { for (let i = 0; i < 20; i++) { globalThis.gc(); await new Promise((r) => setImmediate(r)); } };
${body}
await collect();`;
  const r = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", src], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return r.stderr;
}

test("a dropped coroutine that was never started warns; awaited, task-held and closed ones do not", () => {
  const err = warningsOf(`
const orphan = asyncio.coroutine(async function orphan() {});
orphan();
const awaited = asyncio.coroutine(async function awaited() {});
const held = asyncio.coroutine(async function held() {});
await asyncio.run(asyncio.coroutine(async () => { await awaited(); await asyncio.create_task(held()); })());
asyncio.coroutine(async function closed() {})().close();
`);
  expect(err).toContain("RuntimeWarning: coroutine 'orphan' was never awaited");
  expect(err).not.toMatch(/'(awaited|held|closed)' was never awaited/);
});

test("among thousands of coroutines made in one stretch of iterations, the one dropped still warns", () => {
  const err = warningsOf(`
const lost = asyncio.coroutine(async function lost() {});
await asyncio.run(asyncio.coroutine(async () => {
  for (let i = 0; i < 5000; i++) {
    await asyncio.sleep(0);
    if (i === 2500) lost();
  }
})());
`);
  expect(err).toContain("RuntimeWarning: coroutine 'lost' was never awaited");
  expect(err).not.toContain("'sleep' was never awaited");
});
