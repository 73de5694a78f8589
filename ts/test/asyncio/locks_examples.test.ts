// The TSDoc @example blocks of locks.ts and queues.ts run: each is transpiled and run as the
// body of a coroutine on a virtual-time loop, with `asyncio` and a recording `console`.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import * as asyncio from "../../asyncio/index.js";
import { VirtualTimeLoop } from "../../testing.js";

const src = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "ts", "asyncio");

function examples(file: string): { name: string; code: string }[] {
  const text = readFileSync(join(src, file), "utf8");
  const out: { name: string; code: string }[] = [];
  const re = /@example\s*\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```[\s\S]*?\n(?:export )?(?:abstract )?class (\w+)/g;
  for (const m of text.matchAll(re)) {
    out.push({ name: `${file}: ${m[2]}`, code: m[1].split("\n").map((l) => l.replace(/^\s*\* ?/, "")).join("\n") });
  }
  return out;
}

const all = [...examples("locks.ts"), ...examples("queues.ts")];

test("every public class has an example", () => {
  expect(all.map((e) => e.name.split(": ")[1]).sort()).toEqual(
    ["Barrier", "Condition", "Event", "LifoQueue", "Lock", "PriorityQueue", "Queue", "Semaphore"]);
});

for (const { name, code } of all) {
  test(`example runs: ${name}`, async () => {
    const js = ts.transpileModule(`(async function example(asyncio: any, console: any) {\n${code}\n})`, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None },
    }).outputText;
    const fn = (0, eval)(js) as (a: unknown, c: unknown) => Promise<void>;
    const logged: unknown[][] = [];
    const loop = new VirtualTimeLoop();
    asyncio.set_event_loop(loop);
    const guard = setTimeout(() => loop.stop(), 5000);
    try {
      await loop.run_until_complete(() => fn(asyncio, { log: (...a: unknown[]) => logged.push(a) }));
    } finally {
      clearTimeout(guard);
      loop.close();
      asyncio.set_event_loop(null);
    }
    if (/console\.log/.test(code)) expect(logged.length).toBeGreaterThan(0);
  });
}

test("the examples' results are the ones their comments state", async () => {
  const loop = new VirtualTimeLoop();
  const seen = await loop.run_until_complete(async () => {
    const sem = new asyncio.Semaphore(2);
    const job = asyncio.coroutine(async (n: number) => asyncio.asyncWith(sem, () => asyncio.sleep(0.1, n)));
    const t0 = loop.time();
    const r = await asyncio.gather(job(1), job(2), job(3));
    const pq = new asyncio.PriorityQueue<[number, string]>();
    pq.put_nowait([2, "later"]);
    pq.put_nowait([1, "first"]);
    const lq = new asyncio.LifoQueue<number>();
    lq.put_nowait(1);
    lq.put_nowait(2);
    return [r, Math.round((loop.time() - t0) * 10) / 10, pq.get_nowait(), lq.get_nowait()];
  });
  loop.close();
  expect(seen).toEqual([[1, 2, 3], 0.2, [1, "first"], 2]);
});
