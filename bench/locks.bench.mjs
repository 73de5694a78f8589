// Locks and queues: lock acquire/release pairs and queue put/get pairs per second — tulip vs
// CPython asyncio and uvloop (bench/locks_anchor.py, the same programs), each warmed up, best
// of 5, in one run. Ratios > 1 mean tulip is faster.
//
// Every case runs twice on tulip, because the two coroutine styles cost differently on Node:
// "async fn" (async functions, `await lock.acquire()`: each await is a promise job, and
// AsyncLocalStorage's promise hooks tax every promise) and "generator" (`yield* lock.acquire()`,
// Python's `yield from` style: a lock or queue call that does not suspend is a plain
// synchronous generator step).
import * as asyncio from "../dist/asyncio/index.js";
import { opsPerSec, runPython, table } from "./_harness.mjs";

const N = Number(process.env.BENCH_N ?? 200000);
const QUEUE_MAXSIZE = 100;
const loop = asyncio.new_event_loop();
asyncio.set_event_loop(loop);
const { coroutine, sleep } = asyncio;

const run = (main) => loop.run_until_complete(main);
const gather = (tasks) => asyncio.gather(...tasks);
const times = (k, f) => Array.from({ length: k }, f);

/** The four programs of locks_anchor.py, in one style: `aw(x)` awaits, `co(fn)` makes a coroutine function. */
const styles = {
  "async fn": {
    lockUncontended: (n) => run(coroutine(async function main() {
      const lock = new asyncio.Lock();
      for (let i = 0; i < n; i++) {
        await lock.acquire();
        lock.release();
      }
    })()),
    lockContended: (n) => run(coroutine(async function main() {
      const lock = new asyncio.Lock();
      const worker = coroutine(async function worker(k) {
        for (let i = 0; i < k; i++) {
          await lock.acquire();
          try {
            await sleep(0);
          } finally {
            lock.release();
          }
        }
      });
      await gather(times(100, () => worker(n / 100)));
    })()),
    queue: (producers) => (n) => run(coroutine(async function main() {
      const q = new asyncio.Queue(QUEUE_MAXSIZE);
      const producer = coroutine(async function producer(k) {
        for (let i = 0; i < k; i++) await q.put(i);
      });
      const consumer = coroutine(async function consumer(k) {
        for (let i = 0; i < k; i++) await q.get();
      });
      await gather([...times(producers, () => producer(n / producers)), consumer(n)]);
    })()),
  },
  generator: {
    lockUncontended: (n) => run(coroutine(function* main() {
      const lock = new asyncio.Lock();
      for (let i = 0; i < n; i++) {
        yield* lock.acquire();
        lock.release();
      }
    })()),
    lockContended: (n) => run(coroutine(function* main() {
      const lock = new asyncio.Lock();
      const worker = coroutine(function* worker(k) {
        for (let i = 0; i < k; i++) {
          yield* lock.acquire();
          try {
            yield* sleep(0);
          } finally {
            lock.release();
          }
        }
      });
      yield* gather(times(100, () => worker(n / 100)));
    })()),
    queue: (producers) => (n) => run(coroutine(function* main() {
      const q = new asyncio.Queue(QUEUE_MAXSIZE);
      const producer = coroutine(function* producer(k) {
        for (let i = 0; i < k; i++) yield* q.put(i);
      });
      const consumer = coroutine(function* consumer(k) {
        for (let i = 0; i < k; i++) yield* q.get();
      });
      yield* gather([...times(producers, () => producer(n / producers)), consumer(n)]);
    })()),
  },
};

// name in locks_anchor.py → [program, n divisor]
const cases = {
  "lock acquire/release, uncontended": [(s) => s.lockUncontended, 1],
  "lock acquire/release, 100 tasks contending": [(s) => s.lockContended, 10],
  "queue put/get, 1 producer": [(s) => s.queue(1), 1],
  "queue put/get, 100 producers": [(s) => s.queue(100), 1],
};

const rows = [];
for (const [name, [pick, div]] of Object.entries(cases)) {
  for (const [style, s] of Object.entries(styles)) {
    rows.push({ name: `${name} (${style})`, anchor: name, tulip: await opsPerSec(pick(s), N / div) });
  }
}
const cpython = runPython("locks_anchor.py", ["asyncio", String(N)]);
const uvloop = runPython("locks_anchor.py", ["uvloop", String(N)]);
table(rows.map((r) => ({ name: r.name, tulip: r.tulip, "CPython asyncio": cpython[r.anchor], uvloop: uvloop[r.anchor] })), ["CPython asyncio", "uvloop"], "pairs/s");
loop.close();
