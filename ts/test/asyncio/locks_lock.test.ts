// Lock and Event against CPython 3.11: each scenario is one program in Python and in
// TypeScript; the test compares what the two print (see _cpython.ts).
import * as asyncio from "../../asyncio/index.js";
import { compareWithCPython, exc, type Out } from "./_cpython.js";

const { coroutine, create_task, sleep, asyncWith } = asyncio;

const wokenThenCancelledPy = `
      async def main():
          lock = asyncio.Lock()
          async def w(n):
              try:
                  await lock.acquire()
              except asyncio.CancelledError:
                  out("cancelled", n, lock)
                  raise
              out("got", n)
              await asyncio.sleep(0)
              lock.release()
          await lock.acquire()
          ts = [asyncio.create_task(w(i)) for i in range(3)]
          await asyncio.sleep(0)
          lock.release()       # wakes 0
          ts[0].cancel()       # ... which is cancelled before it runs
          late = asyncio.create_task(w(9))   # and a newcomer must queue behind 1
          await asyncio.gather(*ts, late, return_exceptions=True)
          out([t.cancelled() for t in ts], lock)
    `;

compareWithCPython([
  {
    name: "Lock: waiters are woken first come, first served; repr shows the state",
    py: `
      async def main():
          lock = asyncio.Lock()
          out(lock)
          async def w(n):
              out("want", n)
              async with lock:
                  out("got", n)
                  await asyncio.sleep(0)
              out("released", n)
          await lock.acquire()
          out(lock, lock.locked())
          ts = [asyncio.create_task(w(i)) for i in range(4)]
          await asyncio.sleep(0)
          out(lock)
          lock.release()
          out(lock)
          await asyncio.gather(*ts)
          out(lock, lock.locked())
    `,
    async main(out: Out) {
      const lock = new asyncio.Lock();
      out(lock);
      const w = coroutine(async function w(n: number) {
        out("want", n);
        await asyncWith(lock, async () => {
          out("got", n);
          await sleep(0);
        });
        out("released", n);
      });
      await lock.acquire();
      out(lock, lock.locked());
      const ts = [0, 1, 2, 3].map((i) => create_task(w(i)));
      await sleep(0);
      out(lock);
      lock.release();
      out(lock);
      await asyncio.gather(...ts);
      out(lock, lock.locked());
    },
  },
  {
    name: "Lock: a cancelled waiter is skipped and the next one gets the lock",
    py: `
      async def main():
          lock = asyncio.Lock()
          async def w(n):
              try:
                  await lock.acquire()
              except asyncio.CancelledError:
                  out("cancelled", n)
                  raise
              out("got", n)
              lock.release()
          await lock.acquire()
          ts = [asyncio.create_task(w(i)) for i in range(3)]
          await asyncio.sleep(0)
          ts[0].cancel()
          await asyncio.sleep(0)
          out(lock)
          lock.release()
          out(lock)
          await asyncio.gather(*ts, return_exceptions=True)
          out([t.cancelled() for t in ts], lock)
    `,
    async main(out: Out) {
      const lock = new asyncio.Lock();
      const w = coroutine(async function w(n: number) {
        try {
          await lock.acquire();
        } catch (e) {
          if (e instanceof asyncio.CancelledError) out("cancelled", n);
          throw e;
        }
        out("got", n);
        lock.release();
      });
      await lock.acquire();
      const ts = [0, 1, 2].map((i) => create_task(w(i)));
      await sleep(0);
      ts[0].cancel();
      await sleep(0);
      out(lock);
      lock.release();
      out(lock);
      await asyncio.gather(...ts, { return_exceptions: true });
      out(ts.map((t) => t.cancelled()), lock);
    },
  },
  {
    name: "Lock: a waiter cancelled after it was woken passes the wake-up on",
    py: wokenThenCancelledPy,
    async main(out: Out) {
      const lock = new asyncio.Lock();
      const w = coroutine(async function w(n: number) {
        try {
          await lock.acquire();
        } catch (e) {
          if (e instanceof asyncio.CancelledError) out("cancelled", n, lock);
          throw e;
        }
        out("got", n);
        await sleep(0);
        lock.release();
      });
      await lock.acquire();
      const ts = [0, 1, 2].map((i) => create_task(w(i)));
      await sleep(0);
      lock.release();
      ts[0].cancel();
      const late = create_task(w(9));
      await asyncio.gather(...ts, late, { return_exceptions: true });
      out(ts.map((t) => t.cancelled()), lock);
    },
  },
  {
    name: "Lock: the same, with generator-coroutine tasks",
    py: wokenThenCancelledPy,
    main: coroutine(function* main(out: Out) {
      const lock = new asyncio.Lock();
      const w = coroutine(function* w(n: number) {
        try {
          yield* lock.acquire();
        } catch (e) {
          if (e instanceof asyncio.CancelledError) out("cancelled", n, lock);
          throw e;
        }
        out("got", n);
        yield* sleep(0);
        lock.release();
      });
      yield* lock.acquire();
      const ts = [0, 1, 2].map((i) => create_task(w(i)));
      yield* sleep(0);
      lock.release();
      ts[0].cancel();
      const late = create_task(w(9));
      yield* asyncio.gather(...ts, late, { return_exceptions: true });
      out(ts.map((t) => t.cancelled()), lock);
    }),
  },
  {
    name: "Lock: release() while a cancelled waiter has not run yet; a newcomer passes cancelled waiters",
    py: `
      async def main():
          lock = asyncio.Lock()
          async def w(n):
              try:
                  await lock.acquire()
              except asyncio.CancelledError:
                  out("cancelled", n, lock)
                  raise
              out("got", n, lock)
              await asyncio.sleep(0)
              lock.release()
          await lock.acquire()
          ts = [asyncio.create_task(w(i)) for i in range(3)]
          await asyncio.sleep(0)
          ts[0].cancel()
          lock.release()
          out("released", lock)
          await asyncio.gather(*ts, return_exceptions=True)
          await lock.acquire()
          ts = [asyncio.create_task(w(i)) for i in range(3, 5)]
          await asyncio.sleep(0)
          for t in ts:
              t.cancel()
          lock.release()
          out(await lock.acquire(), "newcomer got it past", lock)
          lock.release()
          await asyncio.gather(*ts, return_exceptions=True)
          out(lock)
    `,
    async main(out: Out) {
      const lock = new asyncio.Lock();
      const w = coroutine(async function w(n: number) {
        try {
          await lock.acquire();
        } catch (e) {
          if (e instanceof asyncio.CancelledError) out("cancelled", n, lock);
          throw e;
        }
        out("got", n, lock);
        await sleep(0);
        lock.release();
      });
      await lock.acquire();
      let ts = [0, 1, 2].map((i) => create_task(w(i)));
      await sleep(0);
      ts[0].cancel();
      lock.release();
      out("released", lock);
      await asyncio.gather(...ts, { return_exceptions: true });
      await lock.acquire();
      ts = [3, 4].map((i) => create_task(w(i)));
      await sleep(0);
      for (const t of ts) t.cancel();
      lock.release();
      out(await lock.acquire(), "newcomer got it past", lock);
      lock.release();
      await asyncio.gather(...ts, { return_exceptions: true });
      out(lock);
    },
  },
  {
    name: "Lock: the waiter holding the wake-up is cancelled after the lock was retaken",
    py: `
      async def main():
          lock = asyncio.Lock()
          async def w(n):
              await lock.acquire()
              out("got", n)
              lock.release()
          await lock.acquire()
          ts = [asyncio.create_task(w(i)) for i in range(2)]
          await asyncio.sleep(0)
          lock.release()
          lock._locked = True   # as if a newcomer had taken it (what 3.11 allows)
          ts[0].cancel()
          await asyncio.sleep(0)
          out(lock, ts[0].cancelled())
          lock.release()
          await asyncio.gather(*ts, return_exceptions=True)
          out(lock)
    `,
    async main(out: Out) {
      const lock = new asyncio.Lock();
      const w = coroutine(function* w(n: number) {
        yield* lock.acquire();
        out("got", n);
        lock.release();
      });
      await lock.acquire();
      const ts = [0, 1].map((i) => create_task(w(i)));
      await sleep(0);
      lock.release();
      lock._locked = true; // as if a newcomer had taken it (what 3.11 allows)
      ts[0].cancel();
      await sleep(0);
      out(lock, ts[0].cancelled());
      lock.release();
      await asyncio.gather(...ts, { return_exceptions: true });
      out(lock);
    },
  },
  {
    name: "Lock: wait_for(lock.acquire(), timeout) times out and leaves no waiter behind",
    py: `
      async def main():
          lock = asyncio.Lock()
          await lock.acquire()
          try:
              await asyncio.wait_for(lock.acquire(), 0.01)
          except asyncio.TimeoutError as e:
              out("timeout", exc(e))
          out(lock)
          lock.release()
          out(await asyncio.wait_for(lock.acquire(), 0.01), lock)
    `,
    async main(out: Out) {
      const lock = new asyncio.Lock();
      await lock.acquire();
      try {
        await asyncio.wait_for(lock.acquire(), 0.01);
      } catch (e) {
        if (e instanceof asyncio.TimeoutError) out("timeout", exc(e));
        else throw e;
      }
      out(lock);
      lock.release();
      out(await asyncio.wait_for(lock.acquire(), 0.01), lock);
    },
  },
  {
    name: "Lock: releasing an unlocked lock raises RuntimeError",
    py: `
      async def main():
          lock = asyncio.Lock()
          try:
              lock.release()
          except RuntimeError as e:
              out(exc(e))
          async with lock:
              out("inside", lock.locked())
          try:
              async with lock:
                  raise ValueError("boom")
          except ValueError as e:
              out(exc(e), lock.locked())
    `,
    async main(out: Out) {
      const lock = new asyncio.Lock();
      try {
        lock.release();
      } catch (e) {
        out(exc(e));
      }
      await asyncWith(lock, async () => out("inside", lock.locked()));
      try {
        await asyncWith(lock, async () => {
          throw new asyncio.ValueError("boom");
        });
      } catch (e) {
        out(exc(e), lock.locked());
      }
    },
  },
  {
    name: "Lock: a lock that waited on one loop is bound to it",
    py: `
      lock = asyncio.Lock()
      async def main():
          await lock.acquire()
          t = asyncio.create_task(lock.acquire())
          await asyncio.sleep(0)
          out(lock)
          lock.release()
          await t
          out(lock)
      async def main2():
          out(lock.locked())
          try:
              await lock.acquire()
          except RuntimeError as e:
              out(exc(e))
    `,
    main: async (out: Out) => {
      await bound.acquire();
      const t = create_task(bound.acquire());
      await sleep(0);
      out(bound);
      bound.release();
      await t;
      out(bound);
    },
    main2: async (out: Out) => {
      out(bound.locked());
      try {
        await bound.acquire();
      } catch (e) {
        out(exc(e));
      }
    },
  },
  {
    name: "Event: set() wakes every waiter in order; clear() makes wait() block again",
    py: `
      async def main():
          ev = asyncio.Event()
          out(ev, ev.is_set())
          async def w(n):
              out("wait", n)
              r = await ev.wait()
              out("woke", n, r)
          ts = [asyncio.create_task(w(i)) for i in range(3)]
          await asyncio.sleep(0)
          out(ev)
          ts[1].cancel()
          ev.set()
          out(ev, ev.is_set())
          ev.set()
          await asyncio.sleep(0)
          out(ev, [t.done() for t in ts])
          out("again", await ev.wait())
          ev.clear()
          t = asyncio.create_task(w(7))
          await asyncio.sleep(0)
          out(ev)
          ev.set()
          await t
          out(ev)
    `,
    async main(out: Out) {
      const ev = new asyncio.Event();
      out(ev, ev.is_set());
      const w = coroutine(async function w(n: number) {
        out("wait", n);
        const r = await ev.wait();
        out("woke", n, r);
      });
      const ts = [0, 1, 2].map((i) => create_task(w(i)));
      await sleep(0);
      out(ev);
      ts[1].cancel();
      ev.set();
      out(ev, ev.is_set());
      ev.set();
      await sleep(0);
      out(ev, ts.map((t) => t.done()));
      out("again", await ev.wait());
      ev.clear();
      const t = create_task(w(7));
      await sleep(0);
      out(ev);
      ev.set();
      await t;
      out(ev);
    },
  },
]);

// Shared across the two loops of the loop-binding scenario, as the module-level lock in Python.
const bound = new asyncio.Lock();

test("Lock works as `await using` (asyncEnter), releasing at the end of the scope", async () => {
  const loop = asyncio.new_event_loop();
  const lock = new asyncio.Lock();
  const seen: unknown[] = [];
  await loop.run_until_complete(async () => {
    {
      await using held = await asyncio.asyncEnter(lock);
      seen.push(held.value === null, lock.locked());
    }
    seen.push(lock.locked());
    try {
      await using _ = await asyncio.asyncEnter(lock);
      throw new Error("body");
    } catch (e) {
      seen.push((e as Error).message, lock.locked());
    }
    // Python's protocol by hand: __aexit__ releases and does not suppress.
    await lock.__aenter__();
    seen.push(await lock.__aexit__(null, null, null), lock.locked());
  });
  loop.close();
  expect(seen).toEqual([true, true, false, "body", false, null, false]);
});

test("Lock methods are lazy coroutines: nothing runs until awaited or stepped", async () => {
  const loop = asyncio.new_event_loop();
  const lock = new asyncio.Lock();
  await loop.run_until_complete(async () => {
    const coro = lock.acquire();
    expect(asyncio.iscoroutine(coro)).toBe(true);
    expect(lock.locked()).toBe(false); // not started
    const t = asyncio.create_task(coro);
    expect(lock.locked()).toBe(false);
    await t;
    expect(lock.locked()).toBe(true);
    expect(String(lock.acquire())).toBe("<coroutine object Lock.acquire>");
    lock.release();
    const once = lock.acquire();
    expect(await once).toBe(true);
    await expect(async () => await once).rejects.toThrow("cannot reuse already awaited coroutine");
  });
  loop.close();
});

test("locks.__all__ and queues.__all__ are CPython's, and asyncio.__all__ gathers them", async () => {
  const { spawnSync } = await import("node:child_process");
  const { pythonExe } = await import("./_cpython.js");
  const locks = await import("../../asyncio/locks.js");
  const queues = await import("../../asyncio/queues.js");
  const r = spawnSync(pythonExe(), ["-c", "import asyncio.locks as l, asyncio.queues as q, json; print(json.dumps([list(l.__all__), list(q.__all__)]))"], { encoding: "utf8" });
  const [pyLocks, pyQueues] = JSON.parse(r.stdout) as string[][];
  expect([...locks.__all__]).toEqual(pyLocks);
  expect([...queues.__all__]).toEqual(pyQueues);
  for (const name of [...pyLocks, ...pyQueues]) {
    expect(asyncio.__all__).toContain(name);
    expect(typeof (asyncio as Record<string, unknown>)[name]).toBe("function");
  }
  // QueueEmpty/QueueFull are exceptions.ts's classes, re-exported, not second definitions.
  expect(queues.QueueEmpty).toBe(asyncio.QueueEmpty);
  const loop = asyncio.new_event_loop();
  await loop.run_until_complete(async () => {
    const ok: boolean = await new asyncio.Lock().acquire(); // the lazy coroutine's type awaits to boolean
    expect(ok).toBe(true);
  });
  loop.close();
});
