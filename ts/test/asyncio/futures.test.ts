// Futures (futures.py): callbacks, states, wrap_future, await and yield* forms.
import * as asyncio from "../../asyncio/index.js";
import { VirtualTimeLoop } from "../../testing.js";
import { fmt, pyrun, trace } from "../helpers/trace.js";

const { coroutine } = asyncio;

test("done callbacks run through call_soon in registration order; remove_done_callback counts", async () => {
  const got = await trace(async (out, loop) => {
    const f = loop.create_future<number>();
    const cb = (name: string) => (fut: asyncio.Future<number>) => out.push(`${name} ${fut.result()}`);
    const a = cb("a"), b = cb("b");
    f.add_done_callback(a);
    f.add_done_callback(b);
    f.add_done_callback(a);
    out.push(`removed ${f.remove_done_callback(a)}`);
    f.add_done_callback(cb("c"));
    loop.call_soon(() => out.push("soon"));
    f.set_result(1);
    out.push(`done=${f.done()} cancelled=${f.cancelled()}`);
    f.add_done_callback(cb("late"));
    await asyncio.sleep(0);
    const g = loop.create_future();
    g.add_done_callback((x) => out.push(`g cancelled=${x.cancelled()}`));
    out.push(`cancel ${g.cancel("why")} again ${g.cancel()}`);
    try { g.result(); } catch (e) { out.push(fmt(e)); }
    const h = loop.create_future();
    h.set_exception(asyncio.ValueError);
    out.push(`exception ${fmt(h.exception())}`);
    try { h.set_exception(new asyncio.StopIteration()); } catch (e) { out.push(fmt(e)); }
    try { loop.create_future().set_exception(new asyncio.StopIteration()); } catch (e) { out.push(fmt(e)); }
    await asyncio.sleep(0);
    out.push(`${f} ${g} ${h}`);
  });
  expect(got).toEqual(pyrun(`
    async def main():
        loop = asyncio.get_running_loop()
        f = loop.create_future()
        cb = lambda name: (lambda fut: print(f"{name} {fut.result()}"))
        a, b = cb("a"), cb("b")
        f.add_done_callback(a); f.add_done_callback(b); f.add_done_callback(a)
        print(f"removed {f.remove_done_callback(a)}")
        f.add_done_callback(cb("c"))
        loop.call_soon(print, "soon")
        f.set_result(1)
        print(f"done={str(f.done()).lower()} cancelled={str(f.cancelled()).lower()}")
        f.add_done_callback(cb("late"))
        await asyncio.sleep(0)
        g = loop.create_future()
        g.add_done_callback(lambda x: print(f"g cancelled={str(x.cancelled()).lower()}"))
        print(f"cancel {str(g.cancel('why')).lower()} again {str(g.cancel()).lower()}")
        try: g.result()
        except BaseException as e: print(fmt(e))
        h = loop.create_future()
        h.set_exception(ValueError)
        print(f"exception {fmt(h.exception())}")
        try: h.set_exception(StopIteration())
        except BaseException as e: print(fmt(e))
        try: loop.create_future().set_exception(StopIteration())
        except BaseException as e: print(fmt(e))
        await asyncio.sleep(0)
        print(f"{f!r} {g!r} {h!r}")
    run(main)
  `));
});

test("a done future resumes its awaiter without a loop iteration; yield* works on futures and tasks", async () => {
  const got = await trace(async (out, loop) => {
    loop.call_soon(() => out.push("callback"));
    const f = loop.create_future<string>();
    f.set_result("ready");
    out.push(`awaited ${await f}`);
    out.push("before sleep");
    await asyncio.sleep(0);
    const g = coroutine(function* g() {
      const fut = loop.create_future<number>();
      loop.call_later(1, () => fut.set_result(5));
      const x: number = yield* fut;
      const t = asyncio.ensure_future(asyncio.sleep(1, "slept"));
      const y = (yield* t) as string;
      return `${x} ${y}`;
    });
    out.push(await g());
  });
  expect(got).toEqual(pyrun(`
    async def main():
        loop = asyncio.get_running_loop()
        loop.call_soon(print, "callback")
        f = loop.create_future(); f.set_result("ready")
        print(f"awaited {await f}")
        print("before sleep")
        await asyncio.sleep(0)
        async def g():
            fut = loop.create_future()
            loop.call_later(1, fut.set_result, 5)
            x = await fut
            t = asyncio.ensure_future(asyncio.sleep(1, "slept"))
            y = await t
            return f"{x} {y}"
        print(await g())
    run(main)
  `));
});

test("wrap_future adopts a native promise; ensure_future takes futures, coroutines, awaitables", async () => {
  const loop = new VirtualTimeLoop();
  const other = new VirtualTimeLoop();
  const r = await loop.run_until_complete(coroutine(async () => {
    const w = asyncio.wrap_future(new Promise<number>((res) => setTimeout(() => res(3), 5)));
    expect(asyncio.isfuture(w)).toBe(true);
    const bad = asyncio.wrap_future(Promise.reject(new asyncio.ValueError("no")));
    await expect(asyncio.wait_for(bad, null)).rejects.toThrow("no");
    const f = loop.create_future();
    expect(asyncio.ensure_future(f)).toBe(f);
    expect(() => asyncio.ensure_future(other.create_future(), { loop })).toThrow("The future belongs to a different loop");
    expect(() => asyncio.ensure_future(5 as never)).toThrow("An asyncio.Future, a coroutine or an awaitable is required");
    const viaThenable = await asyncio.ensure_future<number>({ then: (res: (v: number) => void) => res(9) });
    return (await w) + viaThenable;
  })());
  expect(r).toBe(12);
  loop.close(); other.close();
});

test("awaiting a future of another loop fails the awaiting task as CPython does", async () => {
  const loop = new VirtualTimeLoop();
  const other = new VirtualTimeLoop();
  const f = other.create_future();
  await expect(loop.run_until_complete(coroutine(async () => { await f; })())).rejects.toThrow(/got Future <Future pending> attached to a different loop/);
  loop.close(); other.close();
});

test("a future whose result is itself: repr as CPython's, and await refuses the cycle instead of hanging", async () => {
  const loop = new VirtualTimeLoop();
  const r = await loop.run_until_complete(coroutine(async () => {
    const f = loop.create_future();
    f.set_result(f);
    expect(`${f}`).toBe("<Future finished result=...>");
    try {
      await f;
      return "returned";
    } catch (e) {
      return (e as Error).name;
    }
  })());
  expect(r).toBe("TypeError");
  loop.close();
});
