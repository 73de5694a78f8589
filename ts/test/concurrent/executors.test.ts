// tulip/concurrent: Future, ThreadPoolExecutor, ProcessPoolExecutor, and asyncio on top of them
// (run_in_executor, to_thread, wrap_future, call_soon_threadsafe / run_coroutine_threadsafe from
// a worker thread). The jobs live in fixtures/jobs.ts, tagged threadable.
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import * as asyncio from "../../asyncio/index.js";
import * as cf from "../../concurrent/index.js";
import * as jobs from "../fixtures/jobs.js";

const threadableOf = (fn: (...a: never[]) => unknown) => cf.threadable(import.meta.url, fn, undefined);

// (workers start in tens of milliseconds; every test here ends well within Jest's timeout)

describe("Future (concurrent.futures)", () => {
  test("states, callbacks and errors as CPython's", () => {
    const f = new cf.Future<number>();
    const seen: string[] = [];
    f.add_done_callback((x) => seen.push(`cb ${x.result()}`));
    expect([f.running(), f.done(), f.cancelled()]).toEqual([false, false, false]);
    expect(f.set_running_or_notify_cancel()).toBe(true);
    expect(f.running()).toBe(true);
    expect(f.cancel()).toBe(false); // a running future cannot be cancelled
    f.set_result(3);
    expect(seen).toEqual(["cb 3"]);
    f.add_done_callback((x) => seen.push(`late ${x.result()}`)); // already done: called at once
    expect(seen).toEqual(["cb 3", "late 3"]);
    expect(() => f.set_result(4)).toThrow(cf.InvalidStateError);
    expect(String(f)).toBe("<Future at 0x0 state=finished returned number>");

    const c = new cf.Future();
    expect(c.cancel()).toBe(true);
    expect(c.cancel()).toBe(true);
    expect(c.set_running_or_notify_cancel()).toBe(false);
    expect(() => c.result()).toThrow(cf.CancelledError);
    expect(new cf.CancelledError()).toBeInstanceOf(asyncio.Exception); // an Exception, unlike asyncio's
  });

  test("a pending future that no thread completes raises TimeoutError instead of blocking", () => {
    const f = new cf.Future();
    expect(() => f.result()).toThrow(cf.TimeoutError);
    expect(() => f.result(0)).toThrow(cf.TimeoutError);
    expect(() => f.exception(1)).toThrow(/cannot wait for this future/);
  });

  test("is a thenable", async () => {
    const f = new cf.Future<string>();
    setTimeout(() => f.set_result("x"), 1);
    expect(await f).toBe("x");
    const g = new cf.Future();
    g.cancel();
    await expect(Promise.resolve(g)).rejects.toThrow(cf.CancelledError);
  });
});

describe("ThreadPoolExecutor", () => {
  test("max_workers defaults to min(32, cpus + 4); 0 is a ValueError", async () => {
    const ex = new cf.ThreadPoolExecutor();
    expect(ex._max_workers).toBe(Math.min(32, availableParallelism() + 4));
    await ex.shutdown();
    expect(() => new cf.ThreadPoolExecutor(0)).toThrow("max_workers must be greater than 0");
    expect(new cf.ProcessPoolExecutor()._max_workers).toBe(availableParallelism());
  });

  test("submit, a blocking result(), map in order, exceptions by name and message", async () => {
    const ex = new cf.ThreadPoolExecutor(2);
    expect(ex.submit(jobs.add, 1, 2).result()).toBe(3);
    expect(ex.submit(jobs.asyncAdd, 2, 3).result()).toBe(5); // a promise returned by the job is awaited there
    expect([...ex.map(jobs.add, [1, 2, 3], [10, 20, 30])]).toEqual([11, 22, 33]);
    // (Maps, Dates and typed arrays cross too; they arrive as this realm's, which Jest's VM realm does not compare)
    expect(ex.submit(jobs.echo, { a: [1, { b: null }], s: "x" }).result()).toEqual({ a: [1, { b: null }], s: "x" });
    expect(ex.submit(jobs.apply, jobs.add, 4, 5).result()).toBe(9); // a threadable function crosses as its reference

    const value = ex.submit(jobs.fail, "value").exception() as Error;
    expect(value).toBeInstanceOf(asyncio.ValueError);
    expect(String(value)).toBe("ValueError: bad value");
    const key = ex.submit(jobs.fail, "key").exception() as Error;
    expect(key).toBeInstanceOf(asyncio.KeyError);
    expect(key.message).toBe("'k'"); // str(KeyError('k')), not quoted twice
    const app = ex.submit(jobs.fail, "app").exception() as Error;
    expect(app).toBeInstanceOf(jobs.AppError); // a class tagged threadable comes back as itself
    expect(app.message).toBe("app failed");
    expect(app.stack).toMatch(/--- in the worker ---\nAppError: app failed\n\s+at fail/);
    const other = ex.submit(jobs.fail, "unregistered").exception() as Error;
    expect([other.name, other.message, other instanceof asyncio.Exception]).toEqual(["Unregistered", "who am I", true]);
    expect(ex.submit(jobs.fail, "type").exception()).toBeInstanceOf(TypeError);
    expect(() => ex.submit(jobs.fail, "type").result()).toThrow("wrong type");
    await ex.shutdown();
  });

  test("what cannot cross is a TypeError saying what can, never a hang", async () => {
    const ex = new cf.ThreadPoolExecutor(1);
    const n = 1;
    expect(() => ex.submit(() => n)).toThrow(/cannot cross to a worker: a function crosses by its module and export name.*threadable\(import\.meta\.url/);
    expect(() => ex.submit(jobs.echo, () => n)).toThrow(/argument 1: .* cannot cross/);
    expect(() => ex.submit(jobs.echo, Promise.resolve(1))).toThrow(/argument 1 \(a Promise\) cannot cross to a worker: only structured-cloneable values cross/);
    expect(() => ex.submit(jobs.echo, { f() {} })).toThrow(TypeError);
    expect(() => ex.submit(jobs.returnsFunction).result()).toThrow(/the result of returnsFunction \(a function\) cannot cross back/);
    expect(() => ex.submit(jobs.misnamed).result()).toThrow(/jobs\.js has no function exported as notTheExport/);
    expect(() => threadableOf(() => 1)).toThrow(/the function has no name/);
    await ex.shutdown();
  });

  test("cancel: a queued job is cancelled, a running one runs to its end", async () => {
    const ex = new cf.ThreadPoolExecutor(1);
    const a = ex.submit(jobs.block, 50, "a");
    const b = ex.submit(jobs.block, 0, "b");
    expect(a.running()).toBe(true);
    expect(a.cancel()).toBe(false);
    expect(b.cancel()).toBe(true);
    expect(a.result()).toBe("a");
    expect(b.cancelled()).toBe(true);
    await ex.shutdown();
  });

  test("shutdown: waits for the jobs, cancel_futures cancels those not started, then no new futures", async () => {
    const ex = new cf.ThreadPoolExecutor(1);
    const fs = [0, 1, 2, 3].map((i) => ex.submit(jobs.block, 20, i));
    const exited = ex.shutdown({ wait: true, cancel_futures: true });
    expect(fs.map((f) => [f.done(), f.cancelled()])).toEqual([[true, false], [true, true], [true, true], [true, true]]);
    expect(fs[0].result()).toBe(0);
    expect(() => ex.submit(jobs.add, 1, 2)).toThrow(new asyncio.RuntimeError("cannot schedule new futures after shutdown"));
    await exited;

    const ex2 = new cf.ThreadPoolExecutor(2);
    const gs = [0, 1, 2, 3].map((i) => ex2.submit(jobs.block, 10, i));
    await ex2.shutdown({ wait: false }); // the Promise settles when the workers have exited
    expect(gs.map((g) => g.result())).toEqual([0, 1, 2, 3]);
  });

  test("workers start one per submit while none is idle, up to max_workers", async () => {
    const ex = new cf.ThreadPoolExecutor(3);
    const ids = new Set([0, 1, 2, 3, 4, 5].map(() => ex.submit(jobs.threadId)).map((f) => f.result()));
    expect(ids.size).toBe(3);
    await ex.shutdown();
  });

  test("initializer runs in each worker; one that fails breaks the pool", async () => {
    const ex = new cf.ThreadPoolExecutor(1, { initializer: jobs.setup, initargs: ["ready"] });
    expect(ex.submit(jobs.getInit).result()).toBe("ready");
    await ex.shutdown();
    const bad = new cf.ThreadPoolExecutor(1, { initializer: jobs.setup, initargs: ["boom"] });
    const f = bad.submit(jobs.getInit);
    const e = f.exception() as Error;
    expect(e).toBeInstanceOf(cf.BrokenThreadPool);
    expect(e.message).toBe("A thread initializer failed, the thread pool is not usable anymore");
    expect(() => bad.submit(jobs.getInit)).toThrow(cf.BrokenThreadPool);
    await bad.shutdown();
  });
});

describe("wait, as_completed", () => {
  test("__all__ is concurrent.futures.__all__ (read from CPython), each name exported", () => {
    const py = execFileSync("python3", ["-c", "import concurrent.futures as c, json; print(json.dumps(list(c.__all__)))"], { encoding: "utf8" });
    expect([...cf.__all__]).toEqual(JSON.parse(py));
    for (const n of cf.__all__) expect((cf as Record<string, unknown>)[n]).toBeDefined();
  });

  test("wait blocks for a thread pool's futures; as_completed yields them as they finish", async () => {
    const ex = new cf.ThreadPoolExecutor(3);
    const slow = ex.submit(jobs.block, 300, "slow"), mid = ex.submit(jobs.block, 60, "mid"), fast = ex.submit(jobs.block, 10, "fast");
    const first = cf.wait([slow, mid, fast], { return_when: cf.FIRST_COMPLETED });
    expect([...first.done].map((f) => f.result())).toEqual(["fast"]);
    const [done, not_done] = cf.wait([slow, mid, fast], { timeout: 0.15 });
    expect([done.size, not_done.size]).toEqual([2, 1]);
    const order = [...cf.as_completed([slow, mid, fast])].map((f) => f.result());
    // the two already done first (in no promised order: CPython's is a set's), then slow when it finishes
    expect([new Set(order.slice(0, 2)), order[2]]).toEqual([new Set(["fast", "mid"]), "slow"]);
    const late = ex.submit(jobs.block, 200, "late");
    expect(() => [...cf.as_completed([late], 0.02)]).toThrow(new cf.TimeoutError("1 (of 1) futures unfinished"));
    expect(() => cf.wait([late], { return_when: "SOMETIMES" })).toThrow(new asyncio.ValueError("Invalid return condition: 'SOMETIMES'"));
    const err = ex.submit(jobs.fail, "value");
    expect(cf.wait([late, err], { return_when: cf.FIRST_EXCEPTION }).done).toEqual(new Set([err]));
    await ex.shutdown();
  });
});

describe("ProcessPoolExecutor", () => {
  test("jobs in child processes: results, exceptions, map of awaited futures", async () => {
    const ex = new cf.ProcessPoolExecutor(2);
    const f = ex.submit(jobs.add, 5, 6);
    expect(() => f.result()).toThrow(cf.TimeoutError); // a child's pipe cannot be read synchronously
    expect(await f).toBe(11);
    const e = await ex.submit(jobs.fail, "app").then(null, (x: unknown) => x);
    expect(e).toBeInstanceOf(jobs.AppError);
    expect(await Promise.all([1, 2, 3].map((n) => ex.submit(jobs.fib, n + 10)))).toEqual([89, 144, 233]);
    expect(() => ex.submit(jobs.echo, asyncio.new_event_loop())).toThrow(TypeError); // the loop crosses to threads only
    await ex.shutdown();
  });

  test("a failing initializer breaks the pool", async () => {
    const ex = new cf.ProcessPoolExecutor(1, { initializer: jobs.setup, initargs: ["boom"] });
    const e = await ex.submit(jobs.getInit).then(null, (x: unknown) => x);
    expect(e).toBeInstanceOf(cf.BrokenProcessPool);
    await ex.shutdown();
  });
});

describe("asyncio on executors", () => {
  test("run_in_executor(null) uses the default ThreadPoolExecutor; asyncio.run shuts it down", async () => {
    let loop: asyncio.BaseEventLoop | null = null;
    const r = await asyncio.run(async () => {
      loop = asyncio.get_running_loop();
      const a = await loop.run_in_executor(null, jobs.add, 1, 2);
      const ex = loop._default_executor as cf.ThreadPoolExecutor;
      expect(ex).toBeInstanceOf(cf.ThreadPoolExecutor);
      expect(ex._thread_name_prefix).toBe("asyncio");
      return [a, await asyncio.to_thread(jobs.add, 3, 4)];
    });
    expect(r).toEqual([3, 7]);
    expect(loop!._executor_shutdown_called).toBe(true);
    expect(() => loop!.run_in_executor(null, jobs.add, 1, 2)).toThrow("Event loop is closed");
  });

  test("set_default_executor takes a ThreadPoolExecutor; after shutdown_default_executor, no default", async () => {
    const loop = asyncio.new_event_loop();
    expect(() => loop.set_default_executor(new cf.ProcessPoolExecutor(1) as never)).toThrow(new TypeError("executor must be ThreadPoolExecutor"));
    const mine = new cf.ThreadPoolExecutor(1);
    loop.set_default_executor(mine);
    expect(await loop.run_until_complete(loop.run_in_executor(null, jobs.add, 2, 2))).toBe(4);
    await loop.run_until_complete(loop.shutdown_default_executor());
    expect(mine._shutdown).toBe(true);
    expect(() => loop.run_in_executor(null, jobs.add, 1, 2)).toThrow(new asyncio.RuntimeError("Executor shutdown has been called"));
    expect(await loop.run_until_complete(loop.run_in_executor(new cf.ThreadPoolExecutor(1), jobs.add, 1, 1))).toBe(2);
    loop.close();
  });

  test("to_thread of a closure is a TypeError; its exception arrives by name", async () => {
    await asyncio.run(async () => {
      await expect(Promise.resolve(asyncio.to_thread(() => 1))).rejects.toThrow(/to_thread\(\): <lambda> cannot cross/);
      await expect(Promise.resolve(asyncio.to_thread(jobs.fail, "value"))).rejects.toThrow(asyncio.ValueError);
    });
  });

  test("to_thread: the loop keeps stepping other tasks while the job runs", async () => {
    const ticks = await asyncio.run(async () => {
      let n = 0;
      const ticker = asyncio.create_task((async () => { for (;;) { n++; await asyncio.sleep(0.005); } })());
      expect(await asyncio.to_thread(jobs.spin, 150, "spun")).toBe("spun");
      ticker.cancel();
      return n;
    });
    expect(ticks).toBeGreaterThan(10);
  });

  test("to_thread copies the context: cloneable values cross by variable name", async () => {
    const got = await asyncio.run(async () => {
      const before = await asyncio.to_thread(jobs.readContext);
      jobs.request_id.set("r-17");
      return [before, await asyncio.to_thread(jobs.readContext), await asyncio.get_running_loop().run_in_executor(null, jobs.readContext)];
    });
    expect(got).toEqual(["none", "r-17", "none"]); // run_in_executor does not copy the context, as in CPython
  });

  test("cancelling the asyncio future: a running job runs on, a queued one is cancelled", async () => {
    await asyncio.run(async () => {
      const loop = asyncio.get_running_loop();
      const ex = new cf.ThreadPoolExecutor(1);
      const ca = ex.submit(jobs.block, 100, "a");
      const cb = ex.submit(jobs.block, 0, "b");
      const a = asyncio.wrap_future(ca), b = asyncio.wrap_future(cb);
      await asyncio.sleep(0.01);
      expect([a.cancel(), b.cancel()]).toEqual([true, true]);
      await asyncio.sleep(0);
      expect([ca.cancelled(), ca.running(), cb.cancelled()]).toEqual([false, true, true]);
      expect(await asyncio.wrap_future(ex.submit(jobs.add, 1, 1))).toBe(2);
      expect(ca.result()).toBe("a");
      await ex.shutdown();
      void loop;
    });
  });

  test("from a worker thread: call_soon_threadsafe and run_coroutine_threadsafe through the loop that crossed", async () => {
    jobs.notes.length = 0;
    await asyncio.run(async () => {
      const loop = asyncio.get_running_loop();
      expect(await asyncio.to_thread(jobs.callBack, loop, 42)).toBe("called");
      await asyncio.sleep(0.01);
      expect(jobs.notes).toEqual([42]);
      expect(await asyncio.to_thread(jobs.callCoroutine, loop, 21)).toBe(42); // the worker blocked in result()
    });
  });

  test("run_coroutine_threadsafe returns a concurrent Future; cancelling it cancels the task", async () => {
    const loop = asyncio.new_event_loop();
    const run = loop.run_forever();
    const f = asyncio.run_coroutine_threadsafe(asyncio.sleep(0.01, "slept"), loop);
    expect(f).toBeInstanceOf(cf.Future);
    expect(await f).toBe("slept");
    const g = asyncio.run_coroutine_threadsafe(asyncio.sleep(10), loop);
    await new Promise((r) => setTimeout(r, 5));
    expect(g.cancel()).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(g.cancelled()).toBe(true);
    loop.call_soon_threadsafe(() => loop.stop());
    await run;
    loop.close();
  });
});
