// Tasks and coroutines (tasks.py): stepping order, cancellation, gather/wait/wait_for/shield/
// as_completed — each trace compared with what CPython 3.11 prints for the same program.
import * as asyncio from "../../asyncio/index.js";
import { fmt, pyrun, trace } from "../helpers/trace.js";
import { cpython, py } from "../helpers/cpython.js";

const { coroutine } = asyncio;

test("tasks interleave step by step with callbacks, as CPython steps them", async () => {
  const got = await trace(async (out, loop) => {
    const worker = coroutine(async function worker(name: string, n: number) {
      for (let i = 0; i < n; i++) {
        out.push(`${name} ${i} t=${loop.time()}`);
        await asyncio.sleep(i === 1 ? 0.5 : 0);
      }
      return name;
    });
    loop.call_soon(() => out.push("callback"));
    const a = asyncio.create_task(worker("a", 3));
    const b = asyncio.create_task(worker("b", 3));
    loop.call_soon(() => out.push("callback 2"));
    out.push("main before await");
    const r = await asyncio.gather(a, b);
    out.push(`gathered ${r.join(",")} t=${loop.time()}`);
  });
  expect(got).toEqual(pyrun(`
    async def main():
        loop = asyncio.get_running_loop()
        async def worker(name, n):
            for i in range(n):
                print(f"{name} {i} t={loop.time():g}")
                await asyncio.sleep(0.5 if i == 1 else 0)
            return name
        loop.call_soon(print, "callback")
        a = asyncio.create_task(worker("a", 3))
        b = asyncio.create_task(worker("b", 3))
        loop.call_soon(print, "callback 2")
        print("main before await")
        r = await asyncio.gather(a, b)
        print(f"gathered {','.join(r)} t={loop.time():g}")
    run(main)
  `));
});

test("generator coroutines (yield*) and lazy async functions mix, with send/throw/close", async () => {
  const got = await trace(async (out) => {
    function* child(x: number): Generator<unknown, number, unknown> {
      out.push(`child ${x}`);
      yield* asyncio.sleep(0);
      return x * 2;
    }
    const agen = coroutine(function* parent() {
      const r: number = yield* child(5);
      out.push(`parent got ${r}`);
      try {
        yield* asyncio.sleep(1);
      } finally {
        out.push("parent finally");
      }
      return r + 1;
    });
    const t = asyncio.create_task(agen());
    await asyncio.sleep(0);
    await asyncio.sleep(0);
    t.cancel("stop");
    try { await t; } catch (e) { out.push(`t ${fmt(e)}`); }
    const c = coroutine(function* g() { const v = yield 1; out.push(`sent ${v}`); yield 2; })();
    out.push(`first ${c.send(undefined)}`);
    out.push(`second ${c.send("x")}`);
    c.close();
    return "ok";
  });
  expect(got).toEqual(pyrun(`
    import types
    async def main():
        async def child(x):
            print(f"child {x}")
            await asyncio.sleep(0)
            return x * 2
        async def parent():
            r = await child(5)
            print(f"parent got {r}")
            try:
                await asyncio.sleep(1)
            finally:
                print("parent finally")
            return r + 1
        t = asyncio.create_task(parent())
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        t.cancel("stop")
        try: await t
        except BaseException as e: print(f"t {fmt(e)}")
        @types.coroutine
        def g():
            v = yield 1
            print(f"sent {v}")
            yield 2
        c = g()
        print(f"first {c.send(None)}")
        print(f"second {c.send('x')}")
        c.close()
        return "ok"
    run(main)
  `));
});

test("cancel(): message, cancelling() counts, uncancel(), cancel during finally, must_cancel at next await", async () => {
  const got = await trace(async (out) => {
    const victim = coroutine(async function victim() {
      try {
        await asyncio.sleep(10);
      } catch (e) {
        out.push(`victim caught ${fmt(e)} cancelling=${asyncio.current_task()!.cancelling()}`);
        try {
          await asyncio.sleep(0);
        } finally {
          out.push("in finally");
        }
        out.push(`uncancel -> ${asyncio.current_task()!.uncancel()}`);
        await asyncio.sleep(10);
      }
    });
    const t = asyncio.create_task(victim());
    await asyncio.sleep(0);
    out.push(`cancel1 ${t.cancel("first")}`);
    out.push(`cancel2 ${t.cancel("second")} cancelling=${t.cancelling()}`);
    await asyncio.sleep(0);
    out.push(`after one iteration done=${t.done()}`);
    await asyncio.sleep(0);
    out.push(`cancel3 ${t.cancel("third")}`);
    try { await t; } catch (e) { out.push(`t ${fmt(e)} cancelled=${t.cancelled()}`); }
    out.push(`cancel after done ${t.cancel()}`);
    const self = coroutine(async function selfcancel() {
      asyncio.current_task()!.cancel("self");
      out.push("still running");
      await asyncio.sleep(0);
      out.push("unreachable");
    });
    const s = asyncio.create_task(self());
    try { await s; } catch (e) { out.push(`self ${fmt(e)}`); }
  });
  expect(got).toEqual(pyrun(`
    async def main():
        async def victim():
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError as e:
                print(f"victim caught {fmt(e)} cancelling={asyncio.current_task().cancelling()}")
                try:
                    await asyncio.sleep(0)
                finally:
                    print("in finally")
                print(f"uncancel -> {asyncio.current_task().uncancel()}")
                await asyncio.sleep(10)
        t = asyncio.create_task(victim())
        await asyncio.sleep(0)
        print(f"cancel1 {str(t.cancel('first')).lower()}")
        print(f"cancel2 {str(t.cancel('second')).lower()} cancelling={t.cancelling()}")
        await asyncio.sleep(0)
        print(f"after one iteration done={str(t.done()).lower()}")
        await asyncio.sleep(0)
        print(f"cancel3 {str(t.cancel('third')).lower()}")
        try: await t
        except BaseException as e: print(f"t {fmt(e)} cancelled={str(t.cancelled()).lower()}")
        print(f"cancel after done {str(t.cancel()).lower()}")
        async def selfcancel():
            asyncio.current_task().cancel("self")
            print("still running")
            await asyncio.sleep(0)
            print("unreachable")
        s = asyncio.create_task(selfcancel())
        try: await s
        except BaseException as e: print(f"self {fmt(e)}")
    run(main)
  `));
});

test("gather: return_exceptions, first error, cancelling the outer future cancels children", async () => {
  const got = await trace(async (out, loop) => {
    const ok = coroutine(async function ok(x: number, d: number) { await asyncio.sleep(d); out.push(`ok ${x}`); return x; });
    const bad = coroutine(async function bad(d: number) { await asyncio.sleep(d); throw new asyncio.ValueError("bad"); });
    const r = await asyncio.gather(ok(1, 0.2), bad(0.1), ok(3, 0), { return_exceptions: true });
    out.push(`r ${r.map((x) => (x instanceof Error ? fmt(x) : String(x))).join(" | ")}`);
    try { await asyncio.gather(ok(4, 0.3), bad(0.1)); } catch (e) { out.push(`gather raised ${fmt(e)} t=${Number(loop.time().toPrecision(6))}`); }
    await asyncio.sleep(1);
    const g = asyncio.gather(ok(5, 1), ok(6, 2));
    loop.call_later(0.5, () => out.push(`outer cancel ${g.cancel("enough")}`));
    try { await g; } catch (e) { out.push(`outer ${fmt(e)}`); }
    const empty = await asyncio.gather();
    out.push(`empty ${empty.length}`);
  });
  expect(got).toEqual(pyrun(`
    async def main():
        loop = asyncio.get_running_loop()
        async def ok(x, d):
            await asyncio.sleep(d); print(f"ok {x}"); return x
        async def bad(d):
            await asyncio.sleep(d); raise ValueError("bad")
        r = await asyncio.gather(ok(1, 0.2), bad(0.1), ok(3, 0), return_exceptions=True)
        print("r " + " | ".join(fmt(x) if isinstance(x, BaseException) else str(x) for x in r))
        try: await asyncio.gather(ok(4, 0.3), bad(0.1))
        except BaseException as e: print(f"gather raised {fmt(e)} t={loop.time():g}")
        await asyncio.sleep(1)
        g = asyncio.gather(ok(5, 1), ok(6, 2))
        loop.call_later(0.5, lambda: print(f"outer cancel {str(g.cancel('enough')).lower()}"))
        try: await g
        except BaseException as e: print(f"outer {fmt(e)}")
        empty = await asyncio.gather()
        print(f"empty {len(empty)}")
    run(main)
  `));
});

test("wait (three modes, timeout), wait_for (timeout, cancel), shield, as_completed", async () => {
  const got = await trace(async (out, loop) => {
    const job = coroutine(async function job(x: number, d: number, fail = false) {
      await asyncio.sleep(d);
      if (fail) throw new asyncio.RuntimeError(`job ${x} failed`);
      return x;
    });
    const names = (s: Set<asyncio.Future<unknown>>) => [...s].map((f) => (f as asyncio.Task).get_name()).sort().join(",");
    for (const mode of [asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION, asyncio.ALL_COMPLETED]) {
      const ts = [asyncio.create_task(job(1, 0.3), { name: "j1" }), asyncio.create_task(job(2, 0.1, true), { name: "j2" }), asyncio.create_task(job(3, 0.2), { name: "j3" })];
      const [done, pending] = await asyncio.wait(ts, { return_when: mode });
      out.push(`${mode} done=${names(done)} pending=${names(pending)} t=${loop.time().toFixed(1)}`);
      for (const t of pending) t.cancel();
      await asyncio.gather(...ts, { return_exceptions: true });
    }
    const [d2, p2] = await asyncio.wait([asyncio.create_task(job(9, 5), { name: "slow" })], { timeout: 0.5 });
    out.push(`timeout done=${names(d2)} pending=${names(p2)}`);
    try { await asyncio.wait([]); } catch (e) { out.push(fmt(e)); }
    try { await asyncio.wait([job(1, 0) as never]); } catch (e) { out.push(fmt(e)); }
    out.push(`wait_for ${await asyncio.wait_for(job(7, 0.1), 1)}`);
    try { await asyncio.wait_for(job(8, 2), 0.5); } catch (e) { out.push(`wait_for ${fmt(e)} cause=${(e as asyncio.BaseException).__cause__ instanceof asyncio.CancelledError}`); }
    try { await asyncio.wait_for(job(8, 2), 0); } catch (e) { out.push(`wait_for0 ${fmt(e)}`); }
    const inner = asyncio.create_task(job(10, 1));
    const outer = asyncio.create_task(coroutine(async function shielded() { return await asyncio.shield(inner); })());
    await asyncio.sleep(0.5);
    outer.cancel();
    try { await outer; } catch (e) { out.push(`outer ${fmt(e)}`); }
    out.push(`inner survives ${await inner}`);
    for (const c of asyncio.as_completed([job(1, 0.3), job(2, 0.1), job(3, 0.2)])) out.push(`as_completed ${await c}`);
    try {
      for (const c of asyncio.as_completed([job(1, 0.3), job(2, 5)], { timeout: 1 })) out.push(`as_completed ${await c}`);
    } catch (e) { out.push(`as_completed ${fmt(e)}`); }
  });
  expect(got).toEqual(pyrun(`
    async def main():
        loop = asyncio.get_running_loop()
        async def job(x, d, fail=False):
            await asyncio.sleep(d)
            if fail: raise RuntimeError(f"job {x} failed")
            return x
        names = lambda s: ",".join(sorted(f.get_name() for f in s))
        for mode in (asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION, asyncio.ALL_COMPLETED):
            ts = [asyncio.create_task(job(1, 0.3), name="j1"), asyncio.create_task(job(2, 0.1, True), name="j2"), asyncio.create_task(job(3, 0.2), name="j3")]
            done, pending = await asyncio.wait(ts, return_when=mode)
            print(f"{mode} done={names(done)} pending={names(pending)} t={loop.time():.1f}")
            for t in pending: t.cancel()
            await asyncio.gather(*ts, return_exceptions=True)
        d2, p2 = await asyncio.wait([asyncio.create_task(job(9, 5), name="slow")], timeout=0.5)
        print(f"timeout done={names(d2)} pending={names(p2)}")
        try: await asyncio.wait([])
        except BaseException as e: print(fmt(e))
        c = job(1, 0)
        try: await asyncio.wait([c])
        except BaseException as e: print(fmt(e))
        c.close()
        print(f"wait_for {await asyncio.wait_for(job(7, 0.1), 1)}")
        try: await asyncio.wait_for(job(8, 2), 0.5)
        except BaseException as e: print(f"wait_for {fmt(e)} cause={str(isinstance(e.__cause__, asyncio.CancelledError)).lower()}")
        try: await asyncio.wait_for(job(8, 2), 0)
        except BaseException as e: print(f"wait_for0 {fmt(e)}")
        inner = asyncio.create_task(job(10, 1))
        async def shielded(): return await asyncio.shield(inner)
        outer = asyncio.create_task(shielded())
        await asyncio.sleep(0.5)
        outer.cancel()
        try: await outer
        except BaseException as e: print(f"outer {fmt(e)}")
        print(f"inner survives {await inner}")
        for c in asyncio.as_completed([job(1, 0.3), job(2, 0.1), job(3, 0.2)]): print(f"as_completed {await c}")
        try:
            for c in asyncio.as_completed([job(1, 0.3), job(2, 5)], timeout=1): print(f"as_completed {await c}")
        except BaseException as e: print(f"as_completed {fmt(e)}")
    run(main)
  `));
});

test("Task API: names, repr, current_task, all_tasks, errors for bad awaits", async () => {
  const got = await trace(async (out) => {
    const t = asyncio.create_task(asyncio.sleep(1), { name: "sleeper" });
    out.push(`${t.get_name()} in all_tasks=${asyncio.all_tasks().has(t)}`);
    t.set_name(42);
    out.push(t.get_name());
    t.cancel();
    try { t.set_result(1 as never); } catch (e) { out.push(fmt(e)); }
    try { asyncio.create_task(5 as never); } catch (e) { out.push(fmt(e)); }
    const selfawait = coroutine(async function selfawait() { await asyncio.current_task(); });
    try { await asyncio.create_task(selfawait()); } catch (e) { out.push(fmt(e).replace(/<Task.*>/, "<Task>")); }
    const badyield = coroutine(function* badyield() { yield 42; });
    try { await asyncio.create_task(badyield()); } catch (e) { out.push(fmt(e)); }
    const f = asyncio.get_running_loop().create_future();
    try { f.result(); } catch (e) { out.push(fmt(e)); }
    try { f.exception(); } catch (e) { out.push(fmt(e)); }
    f.set_result(1);
    try { f.set_result(2); } catch (e) { out.push(fmt(e)); }
  });
  expect(got).toEqual(pyrun(`
    import types
    async def main():
        t = asyncio.create_task(asyncio.sleep(1), name="sleeper")
        print(f"{t.get_name()} in all_tasks={str(t in asyncio.all_tasks()).lower()}")
        t.set_name(42)
        print(t.get_name())
        t.cancel()
        try: t.set_result(1)
        except BaseException as e: print(fmt(e))
        try: asyncio.create_task(5)
        except BaseException as e: print(fmt(e))
        async def selfawait(): await asyncio.current_task()
        import re
        try: await asyncio.create_task(selfawait())
        except BaseException as e: print(re.sub(r"<Task.*>", "<Task>", fmt(e)))
        @types.coroutine
        def badyield(): yield 42
        async def wrap(): await badyield()
        try: await asyncio.create_task(wrap())
        except BaseException as e: print(fmt(e))
        f = asyncio.get_running_loop().create_future()
        try: f.result()
        except BaseException as e: print(fmt(e))
        try: f.exception()
        except BaseException as e: print(fmt(e))
        f.set_result(1)
        try: f.set_result(2)
        except BaseException as e: print(fmt(e))
    run(main)
  `));
});

test("KeyboardInterrupt from a task ends the run at once: no other handle runs after it", async () => {
  const got = await trace(async (out, loop) => {
    const boom = coroutine(async function boom() { await asyncio.sleep(0); throw new asyncio.KeyboardInterrupt(); });
    const other = coroutine(async function other() { for (let i = 0; i < 3; i++) { out.push(`other ${i}`); await asyncio.sleep(0); } });
    asyncio.create_task(boom());
    asyncio.create_task(other());
    loop.call_soon(() => out.push("cb1"));
    await asyncio.sleep(1);
  });
  expect(got).toEqual(pyrun(`
    async def main():
        loop = asyncio.get_running_loop()
        async def boom():
            await asyncio.sleep(0)
            raise KeyboardInterrupt
        async def other():
            for i in range(3):
                print(f"other {i}"); await asyncio.sleep(0)
        asyncio.create_task(boom()); asyncio.create_task(other())
        loop.call_soon(print, "cb1")
        await asyncio.sleep(1)
    run(main)
  `));
});

test("default Task-N names: create_task(name=) draws a number, loop.create_task(name=) does not; gather, ensure_future, wait_for, shield, as_completed, TaskGroup, Runner and run draw as in CPython", async () => {
  // The counter is global (earlier tests drew numbers too): names are compared relative to
  // the first main task's number.
  const out: string[] = [];
  const log = (s: string) => out.push(s);
  const name = () => asyncio.current_task()!.get_name();
  const noop = coroutine(async function noop() {});
  const main = coroutine(async function main() {
    const loop = asyncio.get_running_loop();
    log(`main ${name()}`);
    const a = asyncio.create_task(noop(), { name: "x" }), b = asyncio.create_task(noop());
    log(`create_task named, unnamed: ${a.get_name()} ${b.get_name()}`);
    const c = loop.create_task(noop(), { name: "y" }), d = loop.create_task(noop());
    log(`loop.create_task named, unnamed: ${c.get_name()} ${d.get_name()}`);
    let e: asyncio.Task | null = null, f: asyncio.Task | null = null;
    await asyncio.asyncWith(new asyncio.TaskGroup(), async (tg) => { e = tg.create_task(noop(), { name: "z" }); f = tg.create_task(noop()); });
    log(`TaskGroup named, unnamed: ${e!.get_name()} ${f!.get_name()}`);
    const g = asyncio.ensure_future(noop()) as asyncio.Task;
    log(`ensure_future: ${g.get_name()}`);
    await g;
    await asyncio.gather(noop(), noop());
    log(`after gather: ${asyncio.create_task(noop()).get_name()}`);
    await asyncio.wait_for(noop(), 1);
    await asyncio.shield(noop());
    log(`after wait_for, shield: ${asyncio.create_task(noop()).get_name()}`);
    for (const x of asyncio.as_completed([noop()])) await x;
    log(`after as_completed: ${asyncio.create_task(noop()).get_name()}`);
    await asyncio.sleep(0);
  });
  const again = coroutine(async function again(where: string) { log(`${where} ${name()}`); });
  await asyncio.run(main());
  await asyncio.run(again("second run"));
  const r = new asyncio.Runner();
  await r.run(again("Runner.run"));
  await r.run(again("Runner.run"));
  await r.close();
  const loop = asyncio.new_event_loop();
  await loop.run_until_complete(again("run_until_complete"));
  await loop.run_until_complete(again("run_until_complete"));
  loop.close();
  asyncio.set_event_loop(null);
  await asyncio.run(again("last run"));
  const relative = (lines: string[]) => {
    const base = Number(/Task-(\d+)/.exec(lines[0])![1]) - 1;
    return lines.map((l) => l.replace(/Task-(\d+)/g, (_, n) => `Task-${Number(n) - base}`));
  };
  expect(relative(out)).toEqual(relative(cpython(py`
    import asyncio
    name = lambda: asyncio.current_task().get_name()
    async def noop(): pass
    async def main():
        loop = asyncio.get_running_loop()
        print(f"main {name()}")
        a = asyncio.create_task(noop(), name="x"); b = asyncio.create_task(noop())
        print(f"create_task named, unnamed: {a.get_name()} {b.get_name()}")
        c = loop.create_task(noop(), name="y"); d = loop.create_task(noop())
        print(f"loop.create_task named, unnamed: {c.get_name()} {d.get_name()}")
        async with asyncio.TaskGroup() as tg:
            e = tg.create_task(noop(), name="z"); f = tg.create_task(noop())
        print(f"TaskGroup named, unnamed: {e.get_name()} {f.get_name()}")
        g = asyncio.ensure_future(noop())
        print(f"ensure_future: {g.get_name()}")
        await g
        await asyncio.gather(noop(), noop())
        print(f"after gather: {asyncio.create_task(noop()).get_name()}")
        await asyncio.wait_for(noop(), 1)
        await asyncio.shield(noop())
        print(f"after wait_for, shield: {asyncio.create_task(noop()).get_name()}")
        for x in asyncio.as_completed([noop()]): await x
        print(f"after as_completed: {asyncio.create_task(noop()).get_name()}")
        await asyncio.sleep(0)
    async def again(where): print(f"{where} {name()}")
    asyncio.run(main())
    asyncio.run(again("second run"))
    with asyncio.Runner() as r:
        r.run(again("Runner.run"))
        r.run(again("Runner.run"))
    loop = asyncio.new_event_loop()
    loop.run_until_complete(again("run_until_complete"))
    loop.run_until_complete(again("run_until_complete"))
    loop.close()
    asyncio.run(again("last run"))
  `)));
});
