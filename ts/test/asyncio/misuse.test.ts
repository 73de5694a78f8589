// Misuse from the JavaScript side says the fix in one sentence, beside CPython's own message
// (str(e) unchanged, the fix a note or a warning's detail); a step tulip scheduled for a task
// that finished meanwhile is dropped instead of reaching the user as an internal traceback.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as asyncio from "../../asyncio/index.js";
import { Future } from "../../asyncio/futures.js";

const index = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "asyncio", "index.js");

test("a Future made under one loop and awaited in another's task: CPython's RuntimeError, with the fix as a note", async () => {
  const other = asyncio.new_event_loop();
  const fut = other.create_future();
  let caught: unknown = null;
  await asyncio.run(asyncio.coroutine(function* main() {
    try {
      yield* fut.__await__();
    } catch (e) {
      caught = e;
    }
  }));
  other.close();
  expect(caught).toBeInstanceOf(asyncio.RuntimeError);
  expect((caught as Error).message).toMatch(/^Task <Task .*> got Future <Future pending> attached to a different loop$/);
  expect((caught as asyncio.RuntimeError).__notes__).toEqual([expect.stringMatching(/^\(tulip\) A Future belongs to the loop .*inside the coroutine that asyncio.run runs/)]);
});

test("a Queue used by a second asyncio.run: CPython's RuntimeError, with the fix as a note", async () => {
  const q = new asyncio.Queue<number>();
  await asyncio.run(asyncio.coroutine(function* () {
    asyncio.get_running_loop().call_soon(() => q.put_nowait(1));
    yield* q.get(); // waits: binds q to this loop
  }));
  let caught: unknown = null;
  await asyncio.run(asyncio.coroutine(function* () {
    try { yield* q.get(); } catch (e) { caught = e; }
  }));
  expect(String(caught)).toMatch(/^RuntimeError: <Queue .*> is bound to a different event loop$/);
  expect((caught as asyncio.RuntimeError).__notes__![0]).toMatch(/^\(tulip\) .*make a new one for each asyncio.run/);
});

test("no running loop: the note says to pass main itself or use tulip/register", () => {
  let caught: unknown = null;
  try { asyncio.get_running_loop(); } catch (e) { caught = e; }
  expect((caught as Error).message).toBe("no running event loop");
  expect((caught as asyncio.RuntimeError).__notes__![0]).toMatch(/asyncio\.run\(main\)/);
});

test("a coroutine never awaited: CPython's RuntimeWarning, and the fix on the next line", () => {
  const src = `import * as asyncio from ${JSON.stringify(index)};
const fetch = asyncio.coroutine(async function fetch() {});
await asyncio.run(asyncio.coroutine(async function main() { fetch(); await asyncio.sleep(0); }));
for (let i = 0; i < 20; i++) { globalThis.gc(); await new Promise((r) => setImmediate(r)); }`;
  const r = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", src], { encoding: "utf8" });
  expect(r.status).toBe(0);
  const lines = r.stderr.split("\n");
  const at = lines.findIndex((l) => l.includes("RuntimeWarning: coroutine 'fetch' was never awaited"));
  expect(at).toBeGreaterThanOrEqual(0);
  expect(lines[at + 1]).toMatch(/^\(tulip\) .*: await it, or pass it to asyncio\.create_task\(\)/);
});

test("a step scheduled for a task that finished meanwhile is dropped: nothing reaches the exception handler", async () => {
  const contexts: unknown[] = [];
  await asyncio.run(asyncio.coroutine(function* main() {
    asyncio.get_running_loop().set_exception_handler((_l, ctx) => contexts.push(ctx));
    const t = asyncio.create_task(asyncio.coroutine(function* bare() { yield null; yield null; })());
    yield* asyncio.sleep(0); // t's first step ran; its bare yield queued the next
    Future.prototype.set_result.call(t, "done elsewhere"); // as a raw plain body settling outside its steps
    yield* asyncio.sleep(0);
    yield* asyncio.sleep(0);
    expect(t.result()).toBe("done elsewhere");
  }));
  expect(contexts).toEqual([]);
});
