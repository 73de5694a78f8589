// Semaphore, BoundedSemaphore and Barrier against CPython 3.11 (see _cpython.ts).
import * as asyncio from "../../asyncio/index.js";
import { compareWithCPython, exc, type Out } from "./_cpython.js";

const { coroutine, create_task, sleep, asyncWith } = asyncio;

compareWithCPython([
  {
    name: "Semaphore: value 2 lets two in at a time, the rest in arrival order",
    py: `
      async def main():
          sem = asyncio.Semaphore(2)
          out(sem, sem.locked())
          async def w(n):
              async with sem:
                  out("in", n, sem)
                  await asyncio.sleep(0)
                  await asyncio.sleep(0)
              out("out", n)
          ts = [asyncio.create_task(w(i)) for i in range(5)]
          await asyncio.sleep(0)
          out(sem, sem.locked())
          await asyncio.gather(*ts)
          out(sem)
    `,
    async main(out: Out) {
      const sem = new asyncio.Semaphore(2);
      out(sem, sem.locked());
      const w = coroutine(async function w(n: number) {
        await asyncWith(sem, async () => {
          out("in", n, sem);
          await sleep(0);
          await sleep(0);
        });
        out("out", n);
      });
      const ts = [0, 1, 2, 3, 4].map((i) => create_task(w(i)));
      await sleep(0);
      out(sem, sem.locked());
      await asyncio.gather(...ts);
      out(sem);
    },
  },
  {
    name: "Semaphore: a cancelled waiter is skipped; one cancelled after it was woken passes its unit on",
    py: `
      async def main():
          sem = asyncio.Semaphore(0)
          async def w(n):
              try:
                  await sem.acquire()
              except asyncio.CancelledError:
                  out("cancelled", n, sem)
                  raise
              out("got", n, sem)
          ts = [asyncio.create_task(w(i)) for i in range(4)]
          await asyncio.sleep(0)
          ts[1].cancel()
          await asyncio.sleep(0)
          out(sem, sem.locked())
          sem.release()           # wakes 0
          ts[0].cancel()          # which gives the unit back and wakes 2
          out(sem)
          await asyncio.sleep(0)
          await asyncio.sleep(0)
          out(sem)
          sem.release()
          await asyncio.gather(*ts, return_exceptions=True)
          out([t.cancelled() for t in ts], sem)
    `,
    async main(out: Out) {
      const sem = new asyncio.Semaphore(0);
      const w = coroutine(async function w(n: number) {
        try {
          await sem.acquire();
        } catch (e) {
          if (e instanceof asyncio.CancelledError) out("cancelled", n, sem);
          throw e;
        }
        out("got", n, sem);
      });
      const ts = [0, 1, 2, 3].map((i) => create_task(w(i)));
      await sleep(0);
      ts[1].cancel();
      await sleep(0);
      out(sem, sem.locked());
      sem.release();
      ts[0].cancel();
      out(sem);
      await sleep(0);
      await sleep(0);
      out(sem);
      sem.release();
      await asyncio.gather(...ts, { return_exceptions: true });
      out(ts.map((t) => t.cancelled()), sem);
    },
  },
  {
    name: "Semaphore: release() twice wakes two; cancelled waiters keep locked() honest",
    py: `
      async def main():
          sem = asyncio.Semaphore(1)
          await sem.acquire()
          async def w(n):
              await sem.acquire()
              out("got", n)
          ts = [asyncio.create_task(w(i)) for i in range(3)]
          await asyncio.sleep(0)
          for t in ts[:2]:
              t.cancel()
          await asyncio.sleep(0)
          out(sem, sem.locked())
          sem.release()
          sem.release()
          out(sem)
          await asyncio.gather(*ts, return_exceptions=True)
          out(sem, sem.locked())
    `,
    async main(out: Out) {
      const sem = new asyncio.Semaphore(1);
      await sem.acquire();
      const w = coroutine(async function w(n: number) {
        await sem.acquire();
        out("got", n);
      });
      const ts = [0, 1, 2].map((i) => create_task(w(i)));
      await sleep(0);
      for (const t of ts.slice(0, 2)) t.cancel();
      await sleep(0);
      out(sem, sem.locked());
      sem.release();
      sem.release();
      out(sem);
      await asyncio.gather(...ts, { return_exceptions: true });
      out(sem, sem.locked());
    },
  },
  {
    name: "Semaphore errors: negative value, BoundedSemaphore released too often",
    py: `
      async def main():
          for v in (-1, 0, 3):
              try:
                  out(asyncio.Semaphore(v))
              except ValueError as e:
                  out(exc(e))
          try:
              asyncio.BoundedSemaphore(-2)
          except ValueError as e:
              out(exc(e))
          bs = asyncio.BoundedSemaphore(2)
          out(bs)
          await bs.acquire()
          bs.release()
          try:
              bs.release()
          except ValueError as e:
              out(exc(e), bs)
          async with bs:
              async with bs:
                  out(bs, bs.locked())
          out(bs)
          sem = asyncio.Semaphore()
          sem.release()
          out("plain Semaphore grows:", sem)
    `,
    async main(out: Out) {
      for (const v of [-1, 0, 3]) {
        try {
          out(new asyncio.Semaphore(v));
        } catch (e) {
          out(exc(e));
        }
      }
      try {
        new asyncio.BoundedSemaphore(-2);
      } catch (e) {
        out(exc(e));
      }
      const bs = new asyncio.BoundedSemaphore(2);
      out(bs);
      await bs.acquire();
      bs.release();
      try {
        bs.release();
      } catch (e) {
        out(exc(e), bs);
      }
      await asyncWith(bs, () => asyncWith(bs, async () => out(bs, bs.locked())));
      out(bs);
      const sem = new asyncio.Semaphore();
      sem.release();
      out("plain Semaphore grows:", sem);
    },
  },
  {
    name: "Barrier: indices, n_waiting, the states in repr, and reuse",
    py: `
      async def main():
          b = asyncio.Barrier(3)
          out(b, b.parties, b.n_waiting, b.broken)
          async def w(n):
              out("arrive", n)
              i = await b.wait()
              out("pass", n, "index", i, b)
              return i
          ts = [asyncio.create_task(w(i)) for i in range(2)]
          await asyncio.sleep(0)
          out(b, b.n_waiting)
          ts.append(asyncio.create_task(w(2)))
          await asyncio.sleep(0)
          out(b, b.n_waiting)
          out(await asyncio.gather(*ts), b)
          async def v(n):
              async with b as i:
                  out("with", n, i)
          await asyncio.gather(*(v(i) for i in range(3)))
          out(b)
    `,
    async main(out: Out) {
      const b = new asyncio.Barrier(3);
      out(b, b.parties, b.n_waiting, b.broken);
      const w = coroutine(async function w(n: number) {
        out("arrive", n);
        const i = await b.wait();
        out("pass", n, "index", i, b);
        return i;
      });
      const ts = [0, 1].map((i) => create_task(w(i)));
      await sleep(0);
      out(b, b.n_waiting);
      ts.push(create_task(w(2)));
      await sleep(0);
      out(b, b.n_waiting);
      out(await asyncio.gather(...ts), b);
      const v = coroutine(async function v(n: number) {
        await asyncWith(b, async (i) => out("with", n, i));
      });
      await asyncio.gather(...[0, 1, 2].map((i) => v(i)));
      out(b);
    },
  },
  {
    name: "Barrier: abort() breaks it for the waiting tasks and later ones",
    py: `
      async def main():
          b = asyncio.Barrier(3)
          async def w(n):
              try:
                  out("pass", n, await b.wait())
              except asyncio.BrokenBarrierError as e:
                  out("broken", n, exc(e), b)
          ts = [asyncio.create_task(w(i)) for i in range(2)]
          await asyncio.sleep(0)
          out(b)
          await b.abort()
          out(b, b.broken, b.n_waiting)
          await asyncio.gather(*ts)
          await w(5)
          await b.reset()
          out(b, b.broken)
    `,
    async main(out: Out) {
      const b = new asyncio.Barrier(3);
      const w = coroutine(async function w(n: number) {
        try {
          out("pass", n, await b.wait());
        } catch (e) {
          if (e instanceof asyncio.BrokenBarrierError) out("broken", n, exc(e), b);
          else throw e;
        }
      });
      const ts = [0, 1].map((i) => create_task(w(i)));
      await sleep(0);
      out(b);
      await b.abort();
      out(b, b.broken, b.n_waiting);
      await asyncio.gather(...ts);
      await w(5);
      await b.reset();
      out(b, b.broken);
    },
  },
  {
    name: "Barrier: reset() while tasks wait raises BrokenBarrierError in them; a cancelled waiter leaves",
    py: `
      async def main():
          b = asyncio.Barrier(3)
          async def w(n):
              try:
                  out("pass", n, await b.wait())
              except asyncio.BrokenBarrierError as e:
                  out("broken", n, exc(e))
              except asyncio.CancelledError:
                  out("cancelled", n, b)
                  raise
          ts = [asyncio.create_task(w(i)) for i in range(2)]
          await asyncio.sleep(0)
          await b.reset()
          out(b)
          await asyncio.gather(*ts)
          out(b)
          ts = [asyncio.create_task(w(i)) for i in range(10, 12)]
          await asyncio.sleep(0)
          ts[0].cancel()
          await asyncio.sleep(0)
          out(b)
          ts += [asyncio.create_task(w(i)) for i in range(12, 14)]
          await asyncio.gather(*ts, return_exceptions=True)
          out(b)
          try:
              asyncio.Barrier(0)
          except ValueError as e:
              out(exc(e))
    `,
    async main(out: Out) {
      const b = new asyncio.Barrier(3);
      const w = coroutine(async function w(n: number) {
        try {
          out("pass", n, await b.wait());
        } catch (e) {
          if (e instanceof asyncio.BrokenBarrierError) out("broken", n, exc(e));
          else if (e instanceof asyncio.CancelledError) {
            out("cancelled", n, b);
            throw e;
          } else throw e;
        }
      });
      let ts = [0, 1].map((i) => create_task(w(i)));
      await sleep(0);
      await b.reset();
      out(b);
      await asyncio.gather(...ts);
      out(b);
      ts = [10, 11].map((i) => create_task(w(i)));
      await sleep(0);
      ts[0].cancel();
      await sleep(0);
      out(b);
      ts.push(...[12, 13].map((i) => create_task(w(i))));
      await asyncio.gather(...ts, { return_exceptions: true });
      out(b);
      try {
        new asyncio.Barrier(0);
      } catch (e) {
        out(exc(e));
      }
    },
  },
]);

test("Semaphore works as `await using` (asyncEnter) and takes `{ value }`", async () => {
  const loop = asyncio.new_event_loop();
  const sem = new asyncio.BoundedSemaphore({ value: 1 });
  const seen: unknown[] = [];
  await loop.run_until_complete(async () => {
    {
      await using s = await asyncio.asyncEnter(sem);
      seen.push(s.value === null, sem.locked());
    }
    seen.push(sem.locked(), String(sem).replace(/0x[0-9a-f]+/, "0x…"));
  });
  loop.close();
  expect(seen).toEqual([true, true, false, "<asyncio.locks.BoundedSemaphore object at 0x… [unlocked, value:1]>"]);
});

test("Barrier: __aenter__ gives the index and __aexit__ does nothing", async () => {
  const loop = asyncio.new_event_loop();
  const b = new asyncio.Barrier({ parties: 1 });
  const seen: unknown[] = [];
  await loop.run_until_complete(async () => {
    seen.push(await b.__aenter__(), await b.__aexit__(null, null, null), b.n_waiting);
  });
  loop.close();
  expect(seen).toEqual([0, null, 0]);
});
