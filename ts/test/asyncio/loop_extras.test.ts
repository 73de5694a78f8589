// Task factories, call_soon_threadsafe, async generator shutdown, run_in_executor with an executor.
import * as asyncio from "../../asyncio/index.js";
import { VirtualTimeLoop } from "../../testing.js";

test("set_task_factory: create_task goes through the factory; names still apply", async () => {
  const loop = new VirtualTimeLoop();
  const made: string[] = [];
  loop.set_task_factory((l, coro, opts) => {
    const t = new asyncio.Task(coro, { loop: l, context: opts?.context ?? null });
    made.push(t.get_name());
    return t;
  });
  expect(loop.get_task_factory()).not.toBeNull();
  const r = await loop.run_until_complete(asyncio.coroutine(async () => {
    const t = asyncio.create_task(asyncio.sleep(0, 5), { name: "named" });
    return [await t, t.get_name()];
  })());
  expect(r).toEqual([5, "named"]);
  expect(made.length).toBe(2);
  expect(() => loop.set_task_factory(3 as never)).toThrow("task factory must be a callable or None");
  loop.set_task_factory(null);
  loop.close();
});

test("call_soon_threadsafe wakes a loop that is waiting for a far timer", async () => {
  const loop = asyncio.new_event_loop();
  const far = loop.call_later(3600, () => {});
  setTimeout(() => loop.call_soon_threadsafe(() => loop.stop()), 10);
  const t0 = performance.now();
  await loop.run_forever();
  expect(performance.now() - t0).toBeLessThan(10000);
  far.cancel();
  loop.close();
});

test("shutdown_asyncgens closes the async generators registered with the loop", async () => {
  const loop = new VirtualTimeLoop();
  const out: string[] = [];
  async function* gen() {
    try { yield 1; yield 2; } finally { out.push("gen closed"); }
  }
  await loop.run_until_complete(asyncio.coroutine(async () => {
    const g = gen();
    loop._asyncgen_firstiter_hook(g);
    out.push(`first ${(await g.next()).value}`);
  })());
  await loop.run_until_complete(loop.shutdown_asyncgens());
  expect(out).toEqual(["first 1", "gen closed"]);
  loop.close();
});

test("run_in_executor runs through an executor's submit()", async () => {
  const loop = new VirtualTimeLoop();
  const executor = { submit: <T>(fn: (...a: unknown[]) => T, ...args: unknown[]) => Promise.resolve(fn(...args)) };
  const r = await loop.run_until_complete(loop.run_in_executor(executor, (a: number, b: number) => a + b, 2, 3));
  expect(r).toBe(5);
  await loop.run_until_complete(loop.shutdown_default_executor());
  loop.close();
});

test("a handle's repr ends where its arguments lead back to it ('...', as reprlib.recursive_repr), not in a stack overflow", () => {
  const loop = new VirtualTimeLoop();
  const holder: Record<string, unknown> = {};
  const h = loop.call_soon(function cb(_x: unknown) {}, holder);
  holder.handle = h; // a TLS handshake's handles hold sockets that hold handles
  expect(String(h)).toBe("<Handle cb({'handle': <Handle cb(...)>})>");
  h.cancel();
  loop.close();
});
