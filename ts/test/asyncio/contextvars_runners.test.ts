// contextvars across tasks, callbacks and every await; Runner/run; plain async functions and
// foreign awaits; the GC diagnostics — against CPython where the behaviour is CPython's.
import * as asyncio from "../../asyncio/index.js";
import { ContextVar, copy_context, Context } from "../../contextvars.js";
import { VirtualTimeLoop } from "../../testing.js";
import { fmt, pyrun, trace } from "../helpers/trace.js";
import { cpython, py } from "../helpers/cpython.js";

const { coroutine } = asyncio;

test("each task runs in a copy of the context at its creation; callbacks get theirs; values hold across awaits", async () => {
  const v = new ContextVar<string>("v", { default: "default" });
  const got = await trace(async (out, loop) => {
    v.set("main");
    const child = coroutine(async function child(name: string) {
      out.push(`${name} sees ${v.get()}`);
      v.set(name);
      await asyncio.sleep(0);
      await new Promise((r) => setImmediate(r)); // a foreign await: the context must hold
      out.push(`${name} still ${v.get()}`);
    });
    const t1 = asyncio.create_task(child("t1"));
    v.set("main2");
    const t2 = asyncio.create_task(child("t2"));
    const ctx = copy_context();
    ctx.run(() => v.set("custom"));
    const t3 = asyncio.create_task(child("t3"), { context: ctx });
    loop.call_soon(() => { out.push(`callback sees ${v.get()}`); v.set("cb"); });
    loop.call_soon(() => out.push(`callback in ctx sees ${v.get()}`), { context: ctx });
    await asyncio.gather(t1, t2, t3);
    out.push(`main sees ${v.get()} ctx has ${ctx.get(v)}`);
    const tok = v.set("temp");
    v.reset(tok);
    out.push(`after reset ${v.get()}`);
    try { v.reset(tok); } catch (e) { out.push(`${(e as Error).name}`); }
  });
  expect(got).toEqual(pyrun(`
    import contextvars
    v = contextvars.ContextVar("v", default="default")
    async def main():
        loop = asyncio.get_running_loop()
        v.set("main")
        async def child(name):
            print(f"{name} sees {v.get()}")
            v.set(name)
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            print(f"{name} still {v.get()}")
        t1 = asyncio.create_task(child("t1"))
        v.set("main2")
        t2 = asyncio.create_task(child("t2"))
        ctx = contextvars.copy_context()
        ctx.run(v.set, "custom")
        t3 = asyncio.create_task(child("t3"), context=ctx)
        loop.call_soon(lambda: (print(f"callback sees {v.get()}"), v.set("cb")))
        loop.call_soon(lambda: print(f"callback in ctx sees {v.get()}"), context=ctx)
        await asyncio.gather(t1, t2, t3)
        print(f"main sees {v.get()} ctx has {ctx.get(v)}")
        tok = v.set("temp")
        v.reset(tok)
        print(f"after reset {v.get()}")
        try: v.reset(tok)
        except BaseException as e: print(type(e).__name__)
    run(main)
  `));
});

test("Context API: run() re-entrance, mapping methods, LookupError", () => {
  const a = new ContextVar<number>("a");
  expect(() => a.get()).toThrow(asyncio.LookupError);
  expect(a.get(5)).toBe(5);
  const ctx = new Context();
  ctx.run(() => {
    a.set(1);
    expect(() => ctx.run(() => 0)).toThrow("is already entered");
  });
  expect(ctx.has(a)).toBe(true);
  expect(ctx.get(a)).toBe(1);
  expect(ctx.length).toBe(1);
  expect([...ctx]).toEqual([a]);
  expect(ctx.items()).toEqual([[a, 1]]);
  expect(ctx.copy().get(a)).toBe(1);
  expect(`${a}`).toBe("<ContextVar name='a'>");
});

test("asyncio.run and Runner: results, errors, cancelled leftovers, nested run refused", async () => {
  const out: string[] = [];
  const main = coroutine(async function main() {
    const leftover = asyncio.create_task(coroutine(async function leftover() {
      try { await asyncio.sleep(100); } finally { out.push("leftover cancelled at shutdown"); }
    })());
    await asyncio.sleep(0);
    try { await asyncio.run(asyncio.sleep(0)); } catch (e) { out.push(fmt(e)); }
    return [leftover.done(), 42];
  });
  out.push(JSON.stringify(await asyncio.run(main())));
  await expect(asyncio.run(coroutine(async () => { throw new asyncio.ValueError("boom"); })())).rejects.toThrow("boom");
  await expect(asyncio.run(5 as never)).rejects.toThrow("a coroutine was expected, got 5");
  const runner = new asyncio.Runner({ debug: true });
  out.push(String(await runner.run(asyncio.sleep(0, "first"))));
  out.push(String(await runner.run(() => asyncio.sleep(0, "second"))));
  out.push(`debug=${runner.get_loop().get_debug()}`);
  await runner.close();
  await expect(runner.run(asyncio.sleep(0))).rejects.toThrow("Runner is closed");
  await asyncio.asyncWith(new asyncio.Runner(), async (r) => { out.push(String(await r.run(asyncio.sleep(0, "in with")))); });
  expect(out).toEqual(cpython(py`
    import asyncio, json
    async def main():
        async def leftover():
            try: await asyncio.sleep(100)
            finally: print("leftover cancelled at shutdown")
        t = asyncio.create_task(leftover())
        await asyncio.sleep(0)
        c = asyncio.sleep(0)
        try: asyncio.run(c)
        except BaseException as e: print(f"{type(e).__name__}: {e}")
        c.close()
        return [t.done(), 42]
    print(json.dumps(asyncio.run(main())).replace(" ", ""))
    r = asyncio.Runner(debug=True)
    print(r.run(asyncio.sleep(0, "first")))
    print(r.run(asyncio.sleep(0, "second")))
    print(f"debug={str(r.get_loop().get_debug()).lower()}")
    r.close()
    with asyncio.Runner() as r: print(r.run(asyncio.sleep(0, "in with")))
  `));
});

test("plain (eager) async functions are accepted: results and cancellation still work", async () => {
  const loop = new VirtualTimeLoop();
  const out: string[] = [];
  async function eager(n: number) {
    out.push(`eager ${n} starts at once`);
    await asyncio.sleep(1);
    return n * 2;
  }
  const r = await loop.run_until_complete(coroutine(async () => {
    const t = asyncio.create_task(eager(1));
    out.push("after create_task");
    const u = asyncio.create_task(() => eager(2)); // a zero-argument function is lazy
    out.push("after lazy create_task");
    const v = asyncio.create_task(async () => { await asyncio.sleep(10); });
    await asyncio.sleep(0);
    v.cancel();
    const [vr] = await asyncio.gather(v, { return_exceptions: true });
    return [await t, await u, (vr as Error).name, v.cancelled()];
  })());
  expect(out).toEqual(["eager 1 starts at once", "after create_task", "after lazy create_task", "eager 2 starts at once"]);
  expect(r).toEqual([2, 4, "CancelledError", true]);
  loop.close();
});

test("a coroutine awaiting a foreign promise does not stall the loop; it resumes when the promise settles", async () => {
  const loop = asyncio.new_event_loop();
  const out: string[] = [];
  const r = await loop.run_until_complete(coroutine(async () => {
    const ticker = asyncio.create_task(coroutine(async function ticker() {
      for (let i = 0; i < 3; i++) { out.push(`tick ${i}`); await asyncio.sleep(0); }
    })());
    const data = await new Promise<string>((res) => setTimeout(() => res("file contents"), 20));
    out.push(`got ${data}`);
    const f = loop.create_future<number>();
    loop.call_soon(() => f.set_result(7));
    const x = await f; // awaiting a Future after a foreign await still suspends this task properly
    await ticker;
    return x;
  })());
  expect(out).toEqual(["tick 0", "tick 1", "tick 2", "got file contents"]);
  expect(r).toBe(7);
  loop.close();
});

test("diagnostics reach the exception handler when objects are collected", async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  expect(gc).toBeDefined(); // npm test runs node with --expose-gc
  const loop = asyncio.new_event_loop();
  const seen: string[] = [];
  loop.set_exception_handler((_l, ctx) => seen.push(String(ctx.message)));
  await loop.run_until_complete(coroutine(async () => {
    (() => {
      const f = loop.create_future();
      f.set_exception(new asyncio.ValueError("lost"));
      const t = asyncio.create_task(coroutine(async function failing() { throw new asyncio.RuntimeError("also lost"); })());
      void t;
      const p = loop.create_future();
      asyncio.create_task(coroutine(async function pending() { await p; })());
    })();
    await asyncio.sleep(0);
    await asyncio.sleep(0);
  })());
  for (let i = 0; i < 10 && seen.length < 3; i++) {
    gc!();
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(seen.sort()).toEqual(["Future exception was never retrieved", "Task exception was never retrieved", "Task was destroyed but it is pending!"]);
  loop.close();
});

test("asyncio.run(main()) with a plain async main: after its first await, main is the current task", async () => {
  const out: string[] = [];
  const v = new ContextVar<string>("adopted", { default: "root" });
  async function child(n: number) { await asyncio.sleep(0); return n; }
  async function main() {
    await asyncio.sleep(0);
    out.push(`current ${asyncio.current_task()?.get_name()}`);
    v.set("main's");
    await asyncWithTimeout();
    await asyncio.asyncWith(new asyncio.TaskGroup(), async (tg) => { tg.create_task(() => child(1)); });
    const t = asyncio.create_task(asyncio.sleep(10));
    await asyncio.sleep(0);
    t.cancel();
    try { await t; } catch (e) { out.push(`child ${fmt(e)}`); }
    return "done";
  }
  async function asyncWithTimeout() {
    try {
      await asyncio.asyncWith(asyncio.timeout(0.01), async () => { await asyncio.sleep(5); });
    } catch (e) { out.push(`timeout ${(e as Error).name}`); }
  }
  out.push(await asyncio.run(main()));
  expect(out).toEqual(["current Task-" + out[0].split("-")[1], "timeout TimeoutError", "child CancelledError: ", "done"]);
  expect(v.get()).toBe("root"); // main's context was the task's, not the top level's
});
