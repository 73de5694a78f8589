// Queue, PriorityQueue and LifoQueue against CPython 3.11 (see _cpython.ts).
import * as asyncio from "../../asyncio/index.js";
import { _py_lt } from "../../asyncio/queues.js";
import { compareWithCPython, exc, type Out } from "./_cpython.js";

const bytes = (s: string) => Uint8Array.from(Buffer.from(s, "latin1"));

const { coroutine, create_task, sleep } = asyncio;

compareWithCPython([
  {
    name: "Queue: FIFO, qsize/empty/full/maxsize and the str() format",
    py: `
      async def main():
          q = asyncio.Queue()
          out(str(q), q.maxsize, q.qsize(), q.empty(), q.full())
          for i in range(3):
              await q.put(i)
          out(str(q), q.qsize(), q.empty(), q.full())
          out(await q.get(), q.get_nowait(), str(q))
          q.task_done()
          out(str(q))
          q2 = asyncio.Queue(maxsize=2)
          q2.put_nowait("a")
          q2.put_nowait(["b", 1])
          out(str(q2), q2.full())
          q3 = asyncio.Queue(3)
          out(str(q3), q3.maxsize)
    `,
    async main(out: Out) {
      const q = new asyncio.Queue<number>();
      out(String(q), q.maxsize, q.qsize(), q.empty(), q.full());
      for (let i = 0; i < 3; i++) await q.put(i);
      out(String(q), q.qsize(), q.empty(), q.full());
      out(await q.get(), q.get_nowait(), String(q));
      q.task_done();
      out(String(q));
      const q2 = new asyncio.Queue<unknown>({ maxsize: 2 });
      q2.put_nowait("a");
      q2.put_nowait(["b", 1]);
      out(String(q2), q2.full());
      const q3 = new asyncio.Queue(3);
      out(String(q3), q3.maxsize);
    },
  },
  {
    name: "Queue: QueueEmpty, QueueFull and task_done() called too many times",
    py: `
      async def main():
          q = asyncio.Queue(1)
          try:
              q.get_nowait()
          except asyncio.QueueEmpty as e:
              out(exc(e), isinstance(e, Exception))
          q.put_nowait(1)
          try:
              q.put_nowait(2)
          except asyncio.QueueFull as e:
              out(exc(e), str(q))
          q.get_nowait()
          q.task_done()
          try:
              q.task_done()
          except ValueError as e:
              out(exc(e))
    `,
    async main(out: Out) {
      const q = new asyncio.Queue(1);
      try {
        q.get_nowait();
      } catch (e) {
        if (e instanceof asyncio.QueueEmpty) out(exc(e), e instanceof asyncio.Exception);
      }
      q.put_nowait(1);
      try {
        q.put_nowait(2);
      } catch (e) {
        if (e instanceof asyncio.QueueFull) out(exc(e), String(q));
      }
      q.get_nowait();
      q.task_done();
      try {
        q.task_done();
      } catch (e) {
        out(exc(e));
      }
    },
  },
  {
    name: "Queue(maxsize=2): putters wait and are let in first come, first served",
    py: `
      async def main():
          q = asyncio.Queue(2)
          async def producer(n):
              for i in range(2):
                  await q.put(f"{n}{i}")
                  out("put", n, i, str(q))
          async def consumer():
              for _ in range(6):
                  item = await q.get()
                  out("got", item, str(q))
                  await asyncio.sleep(0)
          ps = [asyncio.create_task(producer(n)) for n in "abc"]
          await asyncio.sleep(0)
          out(str(q))
          await asyncio.gather(consumer(), *ps)
          out(str(q))
    `,
    async main(out: Out) {
      const q = new asyncio.Queue<string>(2);
      const producer = coroutine(async function producer(n: string) {
        for (let i = 0; i < 2; i++) {
          await q.put(`${n}${i}`);
          out("put", n, i, String(q));
        }
      });
      const consumer = coroutine(async function consumer() {
        for (let k = 0; k < 6; k++) {
          const item = await q.get();
          out("got", item, String(q));
          await sleep(0);
        }
      });
      const ps = ["a", "b", "c"].map((n) => create_task(producer(n)));
      await sleep(0);
      out(String(q));
      await asyncio.gather(consumer(), ...ps);
      out(String(q));
    },
  },
  {
    name: "Queue: getters wait in order; a cancelled getter is skipped",
    py: `
      async def main():
          q = asyncio.Queue()
          async def getter(n):
              try:
                  out("got", n, await q.get())
              except asyncio.CancelledError:
                  out("cancelled", n, str(q))
                  raise
          gs = [asyncio.create_task(getter(i)) for i in range(4)]
          await asyncio.sleep(0)
          out(str(q))
          gs[1].cancel()
          await asyncio.sleep(0)
          out(str(q))
          for item in "xyz":
              q.put_nowait(item)
          out(str(q))
          await asyncio.gather(*gs, return_exceptions=True)
          out(str(q))
    `,
    async main(out: Out) {
      const q = new asyncio.Queue<string>();
      const getter = coroutine(async function getter(n: number) {
        try {
          out("got", n, await q.get());
        } catch (e) {
          if (e instanceof asyncio.CancelledError) out("cancelled", n, String(q));
          throw e;
        }
      });
      const gs = [0, 1, 2, 3].map((i) => create_task(getter(i)));
      await sleep(0);
      out(String(q));
      gs[1].cancel();
      await sleep(0);
      out(String(q));
      for (const item of "xyz") q.put_nowait(item);
      out(String(q));
      await asyncio.gather(...gs, { return_exceptions: true });
      out(String(q));
    },
  },
  {
    name: "Queue: a getter woken by put_nowait() then cancelled wakes the next getter",
    py: `
      async def main():
          q = asyncio.Queue()
          async def getter(n):
              try:
                  out("got", n, await q.get())
              except asyncio.CancelledError:
                  out("cancelled", n, str(q))
                  raise
          gs = [asyncio.create_task(getter(i)) for i in range(3)]
          await asyncio.sleep(0)
          q.put_nowait("item")
          gs[0].cancel()
          out(str(q))
          await asyncio.sleep(0)
          out(str(q))
          await asyncio.sleep(0)
          out(str(q), [g.done() for g in gs])
          gs[2].cancel()
          await asyncio.gather(*gs, return_exceptions=True)
          out([g.cancelled() for g in gs])
    `,
    async main(out: Out) {
      const q = new asyncio.Queue<string>();
      const getter = coroutine(async function getter(n: number) {
        try {
          out("got", n, await q.get());
        } catch (e) {
          if (e instanceof asyncio.CancelledError) out("cancelled", n, String(q));
          throw e;
        }
      });
      const gs = [0, 1, 2].map((i) => create_task(getter(i)));
      await sleep(0);
      q.put_nowait("item");
      gs[0].cancel();
      out(String(q));
      await sleep(0);
      out(String(q));
      await sleep(0);
      out(String(q), gs.map((g) => g.done()));
      gs[2].cancel();
      await asyncio.gather(...gs, { return_exceptions: true });
      out(gs.map((g) => g.cancelled()));
    },
  },
  {
    name: "Queue: a putter woken by get_nowait() then cancelled wakes the next putter",
    py: `
      async def main():
          q = asyncio.Queue(1)
          q.put_nowait("first")
          async def putter(n):
              try:
                  await q.put(n)
                  out("put", n, str(q))
              except asyncio.CancelledError:
                  out("cancelled", n, str(q))
                  raise
          ps = [asyncio.create_task(putter(i)) for i in range(3)]
          await asyncio.sleep(0)
          out(str(q))
          ps[1].cancel()
          await asyncio.sleep(0)
          out(q.get_nowait(), str(q))
          ps[0].cancel()
          await asyncio.sleep(0)
          await asyncio.sleep(0)
          out(str(q), [p.done() for p in ps])
          out(await q.get(), str(q))
          await asyncio.gather(*ps, return_exceptions=True)
          out([p.cancelled() for p in ps], str(q))
    `,
    async main(out: Out) {
      const q = new asyncio.Queue<unknown>(1);
      q.put_nowait("first");
      const putter = coroutine(async function putter(n: number) {
        try {
          await q.put(n);
          out("put", n, String(q));
        } catch (e) {
          if (e instanceof asyncio.CancelledError) out("cancelled", n, String(q));
          throw e;
        }
      });
      const ps = [0, 1, 2].map((i) => create_task(putter(i)));
      await sleep(0);
      out(String(q));
      ps[1].cancel();
      await sleep(0);
      out(q.get_nowait(), String(q));
      ps[0].cancel();
      await sleep(0);
      await sleep(0);
      out(String(q), ps.map((p) => p.done()));
      out(await q.get(), String(q));
      await asyncio.gather(...ps, { return_exceptions: true });
      out(ps.map((p) => p.cancelled()), String(q));
    },
  },
  {
    name: "Queue: join() returns only when every item is done",
    py: `
      async def main():
          q = asyncio.Queue()
          await q.join()
          out("empty join returns at once")
          for i in range(3):
              q.put_nowait(i)
          async def joiner(n):
              await q.join()
              out("joined", n, str(q))
          js = [asyncio.create_task(joiner(i)) for i in range(2)]
          for i in range(3):
              item = await q.get()
              await asyncio.sleep(0)
              out("done with", item, [j.done() for j in js])
              q.task_done()
          await asyncio.sleep(0)
          out([j.done() for j in js], str(q))
          await asyncio.gather(*js)
          q.put_nowait("again")
          j = asyncio.create_task(joiner(9))
          await asyncio.sleep(0)
          q.get_nowait()
          q.task_done()
          await j
    `,
    async main(out: Out) {
      const q = new asyncio.Queue<unknown>();
      await q.join();
      out("empty join returns at once");
      for (let i = 0; i < 3; i++) q.put_nowait(i);
      const joiner = coroutine(async function joiner(n: number) {
        await q.join();
        out("joined", n, String(q));
      });
      const js = [0, 1].map((i) => create_task(joiner(i)));
      for (let i = 0; i < 3; i++) {
        const item = await q.get();
        await sleep(0);
        out("done with", item, js.map((j) => j.done()));
        q.task_done();
      }
      await sleep(0);
      out(js.map((j) => j.done()), String(q));
      await asyncio.gather(...js);
      q.put_nowait("again");
      const j = create_task(joiner(9));
      await sleep(0);
      q.get_nowait();
      q.task_done();
      await j;
    },
  },
  {
    name: "Queue: wait_for(q.get(), timeout) times out and leaves no getter; producers and consumers",
    py: `
      async def main():
          q = asyncio.Queue()
          try:
              await asyncio.wait_for(q.get(), 0.01)
          except asyncio.TimeoutError:
              out("timeout", str(q))
          q.put_nowait(1)
          out(await asyncio.wait_for(q.get(), 0.01), str(q))
          q2 = asyncio.Queue(1)
          q2.put_nowait(0)
          try:
              await asyncio.wait_for(q2.put(1), 0.01)
          except asyncio.TimeoutError:
              out("timeout", str(q2))
          async def produce(n):
              for i in range(3):
                  await q2.put((n, i))
          async def consume():
              got = []
              while len(got) < 7:
                  got.append(await q2.get())
                  q2.task_done()
              return got
          res = await asyncio.gather(consume(), produce("a"), produce("b"))
          out(res[0], str(q2))
    `,
    async main(out: Out) {
      const q = new asyncio.Queue<number>();
      try {
        await asyncio.wait_for(q.get(), 0.01);
      } catch (e) {
        if (e instanceof asyncio.TimeoutError) out("timeout", String(q));
        else throw e;
      }
      q.put_nowait(1);
      out(await asyncio.wait_for(q.get(), 0.01), String(q));
      const q2 = new asyncio.Queue<unknown>(1);
      q2.put_nowait(0);
      try {
        await asyncio.wait_for(q2.put(1), 0.01);
      } catch (e) {
        if (e instanceof asyncio.TimeoutError) out("timeout", String(q2));
        else throw e;
      }
      const produce = coroutine(function* produce(n: string) {
        for (let i = 0; i < 3; i++) yield* q2.put([n, i]);
      });
      const consume = coroutine(async function consume() {
        const got: unknown[] = [];
        while (got.length < 7) {
          got.push(await q2.get());
          q2.task_done();
        }
        return got;
      });
      const res = await asyncio.gather(consume(), produce("a"), produce("b"));
      out((res[0] as unknown[]).map(pyTuple), String(q2));
    },
  },
  {
    name: "Queue: put/join resolve to None; a queue that waited on one loop is bound to it",
    py: `
      q = asyncio.Queue(1)
      async def main():
          out(await q.put(1), await q.join() if q.qsize() == 0 else "join would block")
          t = asyncio.create_task(q.put(2))
          await asyncio.sleep(0)
          q.get_nowait()
          await t
          out(repr(q))
      async def main2():
          out(q.get_nowait())
          try:
              await q.put(3)
              await q.put(4)
          except RuntimeError as e:
              out(exc(e))
    `,
    main: async (out: Out) => {
      out(await boundQ.put(1), boundQ.qsize() === 0 ? await boundQ.join() : "join would block");
      const t = create_task(boundQ.put(2));
      await sleep(0);
      boundQ.get_nowait();
      await t;
      out(boundQ.__repr__());
    },
    main2: async (out: Out) => {
      out(boundQ.get_nowait());
      try {
        await boundQ.put(3);
        await boundQ.put(4);
      } catch (e) {
        out(exc(e));
      }
    },
  },
  {
    name: "Queue and Lock calls inside gather, shield, timeout() and a TaskGroup",
    py: `
      async def main():
          q = asyncio.Queue()
          lock = asyncio.Lock()
          g = asyncio.gather(q.get(), q.get(), lock.acquire())
          await asyncio.sleep(0)
          out(str(q), lock)
          q.put_nowait("a")
          q.put_nowait("b")
          out(await g, str(q))
          s = asyncio.shield(lock.acquire())
          await asyncio.sleep(0)
          lock.release()
          out(await s, lock)
          try:
              async with asyncio.timeout(0.01):
                  await lock.acquire()
          except TimeoutError as e:
              out("timeout()", exc(e), lock)
          async with asyncio.TaskGroup() as tg:
              ts = [tg.create_task(q.get()) for _ in range(2)]
              tg.create_task(q.put("c"))
              tg.create_task(q.put("d"))
          out([t.result() for t in ts], str(q))
    `,
    async main(out: Out) {
      const q = new asyncio.Queue<string>();
      const lock = new asyncio.Lock();
      const g = asyncio.gather(q.get(), q.get(), lock.acquire());
      await sleep(0);
      out(String(q), lock);
      q.put_nowait("a");
      q.put_nowait("b");
      out(await g, String(q));
      const s = asyncio.shield(lock.acquire());
      await sleep(0);
      lock.release();
      out(await s, lock);
      try {
        await asyncio.asyncWith(asyncio.timeout(0.01), () => lock.acquire());
      } catch (e) {
        out("timeout()", exc(e), lock);
      }
      let ts: asyncio.Task<string>[] = [];
      await asyncio.asyncWith(new asyncio.TaskGroup(), async (tg) => {
        ts = [0, 1].map(() => tg.create_task(q.get()));
        tg.create_task(q.put("c"));
        tg.create_task(q.put("d"));
      });
      out(ts.map((t) => t.result()), String(q));
    },
  },
  {
    name: "LifoQueue: last in, first out",
    py: `
      async def main():
          q = asyncio.LifoQueue()
          for i in (1, 2, 3):
              await q.put(i)
          out(str(q))
          out([await q.get() for _ in range(3)], str(q))
          g = asyncio.create_task(q.get())
          await asyncio.sleep(0)
          out(str(q))
          q.put_nowait(9)
          out(await g)
    `,
    async main(out: Out) {
      const q = new asyncio.LifoQueue<number>();
      for (const i of [1, 2, 3]) await q.put(i);
      out(String(q));
      const got = [];
      for (let i = 0; i < 3; i++) got.push(await q.get());
      out(got, String(q));
      const g = create_task(q.get());
      await sleep(0);
      out(String(q));
      q.put_nowait(9);
      out(await g);
    },
  },
  {
    name: "PriorityQueue: tuples compare element by element, strings by code point",
    py: `
      async def main():
          q = asyncio.PriorityQueue()
          entries = [(2, "b"), (1, "z"), (2, "a"), (1, "y", 0), (1, "y"), (0, "\\U0001F600"), (0, "\\uFF21"),
                     (3, (1, 2)), (3, (1,)), (-1.5, "neg"), (True, "bool"), (2, "b")]
          for e in entries:
              q.put_nowait(e)
          out(q.qsize())
          while not q.empty():
              out(q.get_nowait())
          for e in ["pear", "apple", "Apple", "apple pie", ""]:
              q.put_nowait(e)
          out([q.get_nowait() for _ in range(5)])
          q.put_nowait(1)
          try:
              q.put_nowait("one")
          except TypeError as e:
              out(exc(e), q.qsize(), str(q))
    `,
    async main(out: Out) {
      const q = new asyncio.PriorityQueue<unknown>();
      const entries = [[2, "b"], [1, "z"], [2, "a"], [1, "y", 0], [1, "y"], [0, "\u{1F600}"], [0, "\uFF21"],
        [3, [1, 2]], [3, [1]], [-1.5, "neg"], [true, "bool"], [2, "b"]];
      for (const e of entries) q.put_nowait(e);
      out(q.qsize());
      while (!q.empty()) out(pyTuple(q.get_nowait()));
      for (const e of ["pear", "apple", "Apple", "apple pie", ""]) q.put_nowait(e);
      out(Array.from({ length: 5 }, () => q.get_nowait()));
      q.put_nowait(1);
      try {
        q.put_nowait("one");
      } catch (e) {
        out(exc(e), q.qsize(), String(q));
      }
    },
  },
  {
    name: "PriorityQueue's order is Python's <: numbers, str, bytes, tuples, and its TypeErrors",
    py: `
      async def main():
          pairs = [(1, 2), (2, 1.5), (True, 2), (2**70, 1.5e21), (-0.0, 0), ("b", "ab"), ("", "a"),
                   ("\\uFF21", "\\U0001F600"), (b"ab", b"b"), (b"a", b"a\\x00"), ((1, "a"), (1, "b")),
                   ((1, 2), (1,)), ((), ()), ((1, (2, 3)), (1, (2, 4))), ((0, None), (1, None)),
                   ((1, None), (1, None)), (1, "1"), (None, 1), ((1, 2), 1), ((1, None), (1, 2))]
          for a, b in pairs:
              try:
                  out(a < b)
              except TypeError as e:
                  out(exc(e))
    `,
    async main(out: Out) {
      const pairs: [unknown, unknown][] = [[1, 2], [2, 1.5], [true, 2], [2n ** 70n, 1.5e21], [-0, 0], ["b", "ab"], ["", "a"],
        ["\uFF21", "\u{1F600}"], [bytes("ab"), bytes("b")], [bytes("a"), bytes("a\x00")], [[1, "a"], [1, "b"]],
        [[1, 2], [1]], [[], []], [[1, [2, 3]], [1, [2, 4]]], [[0, null], [1, null]],
        [[1, null], [1, null]], [1, "1"], [null, 1], [[1, 2], 1], [[1, null], [1, 2]]];
      for (const [a, b] of pairs) {
        try {
          out(_py_lt(a, b));
        } catch (e) {
          out(exc(e));
        }
      }
    },
  },
  {
    name: "PriorityQueue: entries with equal priority come out as heapq orders them",
    py: `
      class Job:
          def __init__(self, prio, name):
              self.prio, self.name = prio, name
          def __lt__(self, other):
              return self.prio < other.prio
      async def main():
          q = asyncio.PriorityQueue()
          for i in range(12):
              q.put_nowait(Job(0, i))
          out([q.get_nowait().name for _ in range(12)])
          for i, p in enumerate([3, 1, 3, 1, 2, 1, 3, 2]):
              await q.put(Job(p, i))
          got = []
          while not q.empty():
              j = await q.get()
              got.append((j.prio, j.name))
          out(got)
    `,
    async main(out: Out) {
      class Job {
        constructor(readonly prio: number, readonly name: number) {}
        __lt__(other: Job) {
          return this.prio < other.prio;
        }
      }
      const q = new asyncio.PriorityQueue<Job>();
      for (let i = 0; i < 12; i++) q.put_nowait(new Job(0, i));
      out(Array.from({ length: 12 }, () => q.get_nowait().name));
      for (const [i, p] of [3, 1, 3, 1, 2, 1, 3, 2].entries()) await q.put(new Job(p, i));
      const got: unknown[] = [];
      while (!q.empty()) {
        const j = await q.get();
        got.push(pyTuple([j.prio, j.name]));
      }
      out(got);
    },
  },
  {
    name: "PriorityQueue({ compare }) orders as a Python __lt__ on the same key does",
    py: `
      class Job:
          def __init__(self, prio, name):
              self.prio, self.name = prio, name
          def __lt__(self, other):
              return self.prio < other.prio
      async def main():
          q = asyncio.PriorityQueue(4)
          out(str(q).startswith("<PriorityQueue maxsize=4"))
          order = []
          async def consumer():
              for _ in range(10):
                  order.append((await q.get()).name)
                  await asyncio.sleep(0)
          c = asyncio.create_task(consumer())
          for i, p in enumerate([5, 5, 1, 5, 0, 1, 5, 5, 0, 1]):
              await q.put(Job(p, i))
          await c
          out(order)
    `,
    async main(out: Out) {
      type Job = { prio: number; name: number };
      const q = new asyncio.PriorityQueue<Job>({ maxsize: 4, compare: (a, b) => a.prio - b.prio });
      out(String(q).startsWith("<PriorityQueue maxsize=4"));
      const order: number[] = [];
      const consumer = coroutine(async function consumer() {
        for (let k = 0; k < 10; k++) {
          order.push((await q.get()).name);
          await sleep(0);
        }
      });
      const c = create_task(consumer());
      for (const [i, p] of [5, 5, 1, 5, 0, 1, 5, 5, 0, 1].entries()) await q.put({ prio: p, name: i });
      await c;
      out(order);
    },
  },
]);

// Shared by the two loops of the loop-binding scenario, as the module-level queue in Python.
const boundQ = new asyncio.Queue<number>(1);

/** Python prints tuples with parentheses; tulip's tuples are arrays: `[1, 'a']` → `(1, 'a')`. */
function pyTuple(x: unknown): unknown {
  if (!Array.isArray(x)) return x;
  const inner = x.map((e) => (Array.isArray(e) ? String(pyTuple(e)) : asyncioRepr(e)));
  return { toString: () => `(${inner.join(", ")}${x.length === 1 ? "," : ""})` };
}

function asyncioRepr(e: unknown): string {
  if (e === true) return "True";
  if (typeof e === "string") return `'${e}'`;
  return String(e);
}

test("Queue methods are lazy coroutines, and the keyword forms are accepted", async () => {
  const loop = asyncio.new_event_loop();
  const q = new asyncio.Queue<number>({ maxsize: 1 });
  await loop.run_until_complete(async () => {
    const put = q.put(1);
    expect(q.qsize()).toBe(0); // nothing ran yet
    expect(await put).toBeNull(); // Python None
    expect(q.qsize()).toBe(1);
    expect(String(q.get())).toBe("<coroutine object Queue.get>");
    expect(q.__repr__()).toMatch(/^<Queue at 0x[0-9a-f]+ maxsize=1 _queue=\[1\] tasks=1>$/);
  });
  loop.close();
  expect(new asyncio.PriorityQueue(3, { compare: (a: number, b: number) => b - a }).maxsize).toBe(3);
  expect([...asyncio.__all__].filter((n) => /Queue/.test(n)).sort()).toEqual(
    ["LifoQueue", "PriorityQueue", "Queue", "QueueEmpty", "QueueFull"]);
});
