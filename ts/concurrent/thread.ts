/**
 * ThreadPoolExecutor on Node's worker_threads (concurrent/futures/thread.py).
 *
 * Each worker is a thread with its own JavaScript heap: the function crosses by its module
 * and export name and its arguments by structured clone (_crossing.ts). Replies come back on
 * a MessagePort per worker, which this thread can also read synchronously
 * (`receiveMessageOnPort`), so `future.result()` and `shutdown({ wait: true })` block as
 * CPython's do. A worker's stdout and stderr are written synchronously to the process's own
 * (as a Python thread's print is), not relayed through this thread.
 */
import { availableParallelism } from "node:os";
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { BrokenExecutor } from "./_base.js";
import { _knownError } from "./_crossing.js";
import { _Pool, type FromWorker, type PoolOptions, type WorkerEvents, type WorkerHandle } from "./_pool.js";

/** Raised when a worker thread of a ThreadPoolExecutor failed initializing (or died). */
export class BrokenThreadPool extends BrokenExecutor {}
Object.defineProperty(BrokenThreadPool.prototype, "name", { value: "BrokenThreadPool", writable: true, configurable: true });
_knownError(BrokenThreadPool);

const WORKER_URL = new URL("./_worker.js", import.meta.url);
let _counter = 0;

export interface ThreadPoolOptions extends PoolOptions {
  max_workers?: number | null;
  thread_name_prefix?: string;
}

/**
 * `new ThreadPoolExecutor(max_workers?, { thread_name_prefix, initializer, initargs })`, or
 * all in one options object. max_workers defaults to min(32, cpus + 4), as CPython's.
 * @example
 * ```ts
 * // work.ts
 * export const fib = threadable(import.meta.url, function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); });
 * // main.ts
 * const ex = new ThreadPoolExecutor(2);
 * const f = ex.submit(fib, 25);
 * f.result(); // 75025, blocking as in CPython
 * await ex.shutdown();
 * ```
 */
export class ThreadPoolExecutor extends _Pool {
  protected readonly _kindName = "ThreadPoolExecutor";
  protected readonly _brokenClass = BrokenThreadPool;
  protected readonly _loopCrosses = true;
  _thread_name_prefix: string;
  private readonly _sab = new SharedArrayBuffer(4);
  private readonly _word = new Int32Array(this._sab);

  constructor(max_workers?: number | null | ThreadPoolOptions, options: ThreadPoolOptions = {}) {
    if (max_workers !== null && typeof max_workers === "object") {
      options = max_workers;
      max_workers = options.max_workers;
    }
    const n = max_workers ?? Math.min(32, availableParallelism() + 4);
    super(n, options);
    this._thread_name_prefix = options.thread_name_prefix || `ThreadPoolExecutor-${_counter++}`;
  }

  protected _canWait(): boolean {
    return true;
  }

  protected _signal(): Int32Array | null {
    return this._word;
  }

  protected _spawn(index: number, events: WorkerEvents): WorkerHandle {
    const { port1, port2 } = new MessageChannel();
    // The word this thread bumps after each message to the worker: a worker blocked in
    // run_coroutine_threadsafe(...).result() sleeps on it.
    const toWorker = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER_URL, {
      name: `${this._thread_name_prefix}_${index}`,
      workerData: {
        kind: "thread", port: port2, signal: this._sab, wake: toWorker.buffer, initializer: this._initializer, initargs: this._initargs,
      },
      transferList: [port2 as unknown as MessagePort],
      stdout: false,
      stderr: false,
    });
    let ended = false;
    const end = (error: unknown | null) => {
      if (ended) return;
      ended = true;
      port1.close();
      events.exit(error);
    };
    port1.on("message", (m: FromWorker) => events.message(m));
    worker.on("error", (e) => end(e));
    worker.on("exit", (code) => end(code === 0 ? null : new Error(`worker exited with code ${code}`)));
    return {
      post: (msg) => {
        port1.postMessage(msg);
        Atomics.add(toWorker, 0, 1);
        Atomics.notify(toWorker, 0);
      },
      ref: () => { worker.ref(); port1.ref(); },
      unref: () => { worker.unref(); port1.unref(); },
      drainSync: (handle: (m: FromWorker) => void) => {
        for (;;) {
          const r = receiveMessageOnPort(port1);
          if (r === undefined) return true;
          handle(r.message as FromWorker);
        }
      },
      kill: () => { void worker.terminate(); },
    };
  }
}
