// Condition against CPython 3.11 (see _cpython.ts): notify order, a shared lock, predicates,
// cancellation while waiting and after being notified, and the errors.
import * as asyncio from "../../asyncio/index.js";
import { compareWithCPython, exc, type Out } from "./_cpython.js";

const { coroutine, create_task, sleep, asyncWith } = asyncio;

compareWithCPython([
  {
    name: "Condition: notify(n) wakes waiters first come, first served; each re-takes the lock",
    py: `
      async def main():
          cond = asyncio.Condition()
          out(cond)
          async def w(n):
              async with cond:
                  out("wait", n)
                  r = await cond.wait()
                  out("woke", n, r, cond.locked())
          ts = [asyncio.create_task(w(i)) for i in range(5)]
          await asyncio.sleep(0)
          out(cond)
          async with cond:
              cond.notify()
              out(cond)
          await asyncio.sleep(0)
          async with cond:
              cond.notify(2)
          await asyncio.sleep(0)
          out(cond)
          async with cond:
              cond.notify_all()
              out(cond)
          await asyncio.gather(*ts)
          out(cond)
    `,
    async main(out: Out) {
      const cond = new asyncio.Condition();
      out(cond);
      const w = coroutine(async function w(n: number) {
        await asyncWith(cond, async () => {
          out("wait", n);
          const r = await cond.wait();
          out("woke", n, r, cond.locked());
        });
      });
      const ts = [0, 1, 2, 3, 4].map((i) => create_task(w(i)));
      await sleep(0);
      out(cond);
      await asyncWith(cond, async () => {
        cond.notify();
        out(cond);
      });
      await sleep(0);
      await asyncWith(cond, async () => cond.notify(2));
      await sleep(0);
      out(cond);
      await asyncWith(cond, async () => {
        cond.notify_all();
        out(cond);
      });
      await asyncio.gather(...ts);
      out(cond);
    },
  },
  {
    name: "Condition: with a shared lock, wait_for(predicate) and the lock's state",
    py: `
      async def main():
          lock = asyncio.Lock()
          cond = asyncio.Condition(lock)
          box = []
          async def consumer(n):
              async with cond:
                  r = await cond.wait_for(lambda: len(box) > n)
                  out("consumer", n, r, box[n], lock.locked())
          ts = [asyncio.create_task(consumer(i)) for i in (1, 0)]
          await asyncio.sleep(0)
          for item in "ab":
              async with lock:
                  box.append(item)
                  out("put", item, cond, lock)
                  cond.notify_all()
              await asyncio.sleep(0)
          await asyncio.gather(*ts)
          out(cond, lock)
    `,
    async main(out: Out) {
      const lock = new asyncio.Lock();
      const cond = new asyncio.Condition(lock);
      const box: string[] = [];
      const consumer = coroutine(function* consumer(n: number) {
        yield* cond.__aenter__();
        try {
          const r = yield* cond.wait_for(() => box.length > n);
          out("consumer", n, r, box[n], lock.locked());
        } finally {
          yield* cond.__aexit__(null, null, null);
        }
      });
      const ts = [1, 0].map((i) => create_task(consumer(i)));
      await sleep(0);
      for (const item of "ab") {
        await asyncWith(lock, async () => {
          box.push(item);
          out("put", item, cond, lock);
          cond.notify_all();
        });
        await sleep(0);
      }
      await asyncio.gather(...ts);
      out(cond, lock);
    },
  },
  {
    name: "Condition: a waiter cancelled while waiting re-takes the lock before it raises",
    py: `
      async def main():
          cond = asyncio.Condition()
          async def w(n):
              async with cond:
                  try:
                      await cond.wait()
                  except asyncio.CancelledError:
                      out("cancelled", n, "holding lock:", cond.locked())
                      raise
                  out("woke", n)
          ts = [asyncio.create_task(w(i)) for i in range(3)]
          await asyncio.sleep(0)
          async with cond:
              ts[0].cancel()
              await asyncio.sleep(0)
              out("main still holds", cond)
              cond.notify()
          await asyncio.gather(*ts[:2], return_exceptions=True)
          out([t.cancelled() for t in ts], cond)
          async with cond:
              cond.notify()
          await ts[2]
    `,
    async main(out: Out) {
      const cond = new asyncio.Condition();
      const w = coroutine(async function w(n: number) {
        await asyncWith(cond, async () => {
          try {
            await cond.wait();
          } catch (e) {
            if (e instanceof asyncio.CancelledError) out("cancelled", n, "holding lock:", cond.locked());
            throw e;
          }
          out("woke", n);
        });
      });
      const ts = [0, 1, 2].map((i) => create_task(w(i)));
      await sleep(0);
      await asyncWith(cond, async () => {
        ts[0].cancel();
        await sleep(0);
        out("main still holds", cond);
        cond.notify();
      });
      await asyncio.gather(...ts.slice(0, 2), { return_exceptions: true });
      out(ts.map((t) => t.cancelled()), cond);
      await asyncWith(cond, async () => cond.notify());
      await ts[2];
    },
  },
  {
    name: "Condition: a waiter cancelled after notify() does not pass the notification on (3.11)",
    py: `
      async def main():
          cond = asyncio.Condition()
          async def w(n):
              try:
                  async with cond:
                      await cond.wait()
                      out("woke", n)
              except asyncio.CancelledError:
                  out("cancelled", n, cond)
                  raise
          ts = [asyncio.create_task(w(i)) for i in range(2)]
          await asyncio.sleep(0)
          async with cond:
              cond.notify()
              ts[0].cancel()
          for _ in range(3):
              await asyncio.sleep(0)
          out([t.done() for t in ts], cond)
          async with cond:
              cond.notify()
          await asyncio.gather(*ts, return_exceptions=True)
          out([t.cancelled() for t in ts])
    `,
    async main(out: Out) {
      const cond = new asyncio.Condition();
      const w = coroutine(async function w(n: number) {
        try {
          await asyncWith(cond, async () => {
            await cond.wait();
            out("woke", n);
          });
        } catch (e) {
          if (e instanceof asyncio.CancelledError) out("cancelled", n, cond);
          throw e;
        }
      });
      const ts = [0, 1].map((i) => create_task(w(i)));
      await sleep(0);
      await asyncWith(cond, async () => {
        cond.notify();
        ts[0].cancel();
      });
      for (let i = 0; i < 3; i++) await sleep(0);
      out(ts.map((t) => t.done()), cond);
      await asyncWith(cond, async () => cond.notify());
      await asyncio.gather(...ts, { return_exceptions: true });
      out(ts.map((t) => t.cancelled()));
    },
  },
  {
    name: "Condition: cancelled while re-taking the lock, it keeps trying, then raises CancelledError",
    py: `
      async def main():
          cond = asyncio.Condition()
          async def w():
              async with cond:
                  try:
                      await cond.wait()
                  except asyncio.CancelledError as e:
                      out("raised", exc(e), cond.locked())
                      raise
          t = asyncio.create_task(w())
          await asyncio.sleep(0)
          await cond.acquire()
          cond.notify()
          await asyncio.sleep(0)   # w is notified, now waits for the lock
          t.cancel()
          await asyncio.sleep(0)
          out("after cancel", t.done(), cond)
          t.cancel()
          await asyncio.sleep(0)
          cond.release()
          try:
              await t
          except asyncio.CancelledError:
              out("task cancelled", t.cancelled(), cond)
    `,
    async main(out: Out) {
      const cond = new asyncio.Condition();
      const w = coroutine(async function w() {
        await asyncWith(cond, async () => {
          try {
            await cond.wait();
          } catch (e) {
            out("raised", exc(e), cond.locked());
            throw e;
          }
        });
      });
      const t = create_task(w());
      await sleep(0);
      await cond.acquire();
      cond.notify();
      await sleep(0);
      t.cancel();
      await sleep(0);
      out("after cancel", t.done(), cond);
      t.cancel();
      await sleep(0);
      cond.release();
      try {
        await t;
      } catch (e) {
        if (e instanceof asyncio.CancelledError) out("task cancelled", t.cancelled(), cond);
        else throw e;
      }
    },
  },
  {
    name: "Condition: wait() and notify() without the lock raise RuntimeError",
    py: `
      async def main():
          cond = asyncio.Condition()
          for f in (lambda: cond.wait(), lambda: cond.wait_for(lambda: False)):
              try:
                  await f()
              except RuntimeError as e:
                  out(exc(e))
          for f in (lambda: cond.notify(), lambda: cond.notify_all()):
              try:
                  f()
              except RuntimeError as e:
                  out(exc(e))
          try:
              cond.release()
          except RuntimeError as e:
              out(exc(e))
          out("wait_for with a true predicate needs no lock:")
          async with cond:
              out(await cond.wait_for(lambda: 42))
    `,
    async main(out: Out) {
      const cond = new asyncio.Condition();
      for (const f of [() => cond.wait(), () => cond.wait_for(() => false)]) {
        try {
          await f();
        } catch (e) {
          out(exc(e));
        }
      }
      for (const f of [() => cond.notify(), () => cond.notify_all()]) {
        try {
          f();
        } catch (e) {
          out(exc(e));
        }
      }
      try {
        cond.release();
      } catch (e) {
        out(exc(e));
      }
      out("wait_for with a true predicate needs no lock:");
      await asyncWith(cond, async () => out(await cond.wait_for(() => 42)));
    },
  },
]);

test("Condition works as `await using` (asyncEnter) and takes its lock as `{ lock }`", async () => {
  const loop = asyncio.new_event_loop();
  const lock = new asyncio.Lock();
  const cond = new asyncio.Condition({ lock });
  const seen: unknown[] = [];
  await loop.run_until_complete(async () => {
    {
      await using c = await asyncio.asyncEnter(cond);
      seen.push(c.value === null, lock.locked());
    }
    seen.push(lock.locked());
  });
  loop.close();
  expect(seen).toEqual([true, true, false]);
});
