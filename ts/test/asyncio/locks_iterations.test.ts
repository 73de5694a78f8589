// Loop iterations against CPython 3.11: a call_soon ticker prints one line per loop iteration
// while tasks hand a Lock, an Event, a Condition, a Semaphore and a Queue around. The lines
// interleave identically only if every `await` of a lock or queue method costs exactly the
// iterations it costs in CPython — with async-function tasks and with generator tasks alike.
import * as asyncio from "../../asyncio/index.js";
import { compareWithCPython, type Out } from "./_cpython.js";

const { coroutine, create_task, sleep, asyncWith } = asyncio;

const py = `
  async def main():
      loop = asyncio.get_running_loop()
      n = 0
      def tick():
          nonlocal n
          n += 1
          out("tick", n)
          if n < 16:
              loop.call_soon(tick)
      loop.call_soon(tick)
      lock, ev, cond, sem, q = asyncio.Lock(), asyncio.Event(), asyncio.Condition(), asyncio.Semaphore(1), asyncio.Queue(1)
      async def a():
          async with lock:
              out("a has lock")
              await ev.wait()
              out("a saw event")
          await q.put("x")
          out("a put x")
          await q.put("y")
          out("a put y")
      async def b():
          await asyncio.sleep(0)
          async with lock:
              out("b has lock")
          out("b got", await q.get())
          out("b got", await q.get())
      async def c():
          async with sem:
              async with cond:
                  out("c waits")
                  await cond.wait()
                  out("c notified")
      async def d():
          await asyncio.sleep(0)
          async with cond:
              cond.notify()
              out("d notified")
          async with sem:
              out("d has sem")
      ts = [asyncio.create_task(f()) for f in (a, b, c, d)]
      await asyncio.sleep(0)
      ev.set()
      out("set")
      await asyncio.gather(*ts)
      out("done")
`;

/** The ticker and the four tasks, the tasks written as async functions. */
async function withAsyncFunctions(out: Out) {
  const loop = asyncio.get_running_loop();
  let n = 0;
  const tick = () => {
    n += 1;
    out("tick", n);
    if (n < 16) loop.call_soon(tick);
  };
  loop.call_soon(tick);
  const [lock, ev, cond, sem, q] = [new asyncio.Lock(), new asyncio.Event(), new asyncio.Condition(), new asyncio.Semaphore(1), new asyncio.Queue<string>(1)];
  const a = coroutine(async function a() {
    await asyncWith(lock, async () => {
      out("a has lock");
      await ev.wait();
      out("a saw event");
    });
    await q.put("x");
    out("a put x");
    await q.put("y");
    out("a put y");
  });
  const b = coroutine(async function b() {
    await sleep(0);
    await asyncWith(lock, async () => out("b has lock"));
    out("b got", await q.get());
    out("b got", await q.get());
  });
  const c = coroutine(async function c() {
    await asyncWith(sem, () => asyncWith(cond, async () => {
      out("c waits");
      await cond.wait();
      out("c notified");
    }));
  });
  const d = coroutine(async function d() {
    await sleep(0);
    await asyncWith(cond, async () => {
      cond.notify();
      out("d notified");
    });
    await asyncWith(sem, async () => out("d has sem"));
  });
  const ts = [a, b, c, d].map((f) => create_task(f()));
  await sleep(0);
  ev.set();
  out("set");
  await asyncio.gather(...ts);
  out("done");
}

/** The same, the tasks written as generator coroutines (`yield*`, Python's `yield from`). */
function* withGenerators(out: Out): Generator<unknown, void, unknown> {
  const loop = asyncio.get_running_loop();
  let n = 0;
  const tick = () => {
    n += 1;
    out("tick", n);
    if (n < 16) loop.call_soon(tick);
  };
  loop.call_soon(tick);
  const [lock, ev, cond, sem, q] = [new asyncio.Lock(), new asyncio.Event(), new asyncio.Condition(), new asyncio.Semaphore(1), new asyncio.Queue<string>(1)];
  const a = coroutine(function* a() {
    yield* lock.__aenter__();
    try {
      out("a has lock");
      yield* ev.wait();
      out("a saw event");
    } finally {
      yield* lock.__aexit__(null, null, null);
    }
    yield* q.put("x");
    out("a put x");
    yield* q.put("y");
    out("a put y");
  });
  const b = coroutine(function* b() {
    yield* sleep(0);
    yield* lock.acquire();
    out("b has lock");
    lock.release();
    out("b got", yield* q.get());
    out("b got", yield* q.get());
  });
  const c = coroutine(function* c() {
    yield* sem.acquire();
    try {
      yield* cond.acquire();
      try {
        out("c waits");
        yield* cond.wait();
        out("c notified");
      } finally {
        cond.release();
      }
    } finally {
      sem.release();
    }
  });
  const d = coroutine(function* d() {
    yield* sleep(0);
    yield* cond.acquire();
    cond.notify();
    out("d notified");
    cond.release();
    yield* sem.acquire();
    out("d has sem");
    sem.release();
  });
  const ts = [a, b, c, d].map((f) => create_task(f()));
  yield* sleep(0);
  ev.set();
  out("set");
  yield* asyncio.gather(...ts);
  out("done");
}

compareWithCPython([
  { name: "iterations: tasks as async functions", py, main: withAsyncFunctions },
  { name: "iterations: tasks as generator coroutines", py, main: (out) => coroutine(withGenerators)(out) },
]);
