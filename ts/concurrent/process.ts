/**
 * ProcessPoolExecutor on child processes (concurrent/futures/process.py): each worker is
 * `node` forked with this process's flags (so `--import tulip/register` applies there too),
 * talking over its IPC channel with V8's serialization (structured clone). A child's pipe
 * cannot be read synchronously, so this pool's futures cannot block: a pending `result()`
 * raises TimeoutError (await the future, or `asyncio.wrap_future` it), and `shutdown()`'s
 * wait is its returned Promise.
 */
import { fork } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { BrokenExecutor } from "./_base.js";
import { _knownError } from "./_crossing.js";
import { _Pool, type FromWorker, type PoolOptions, type ToWorker, type WorkerEvents, type WorkerHandle } from "./_pool.js";

/** A process of the pool died, or failed initializing: the pool cannot be used anymore. */
export class BrokenProcessPool extends BrokenExecutor {}
Object.defineProperty(BrokenProcessPool.prototype, "name", { value: "BrokenProcessPool", writable: true, configurable: true });
_knownError(BrokenProcessPool);

const WORKER_PATH = fileURLToPath(new URL("./_worker.js", import.meta.url));

export interface ProcessPoolOptions extends PoolOptions {
  max_workers?: number | null;
}

/** `new ProcessPoolExecutor(max_workers?, { initializer, initargs })`; max_workers defaults to the CPU count. */
export class ProcessPoolExecutor extends _Pool {
  protected readonly _kindName = "ProcessPoolExecutor";
  protected readonly _brokenClass = BrokenProcessPool;
  protected readonly _loopCrosses = false;

  constructor(max_workers?: number | null | ProcessPoolOptions, options: ProcessPoolOptions = {}) {
    if (max_workers !== null && typeof max_workers === "object") {
      options = max_workers;
      max_workers = options.max_workers;
    }
    super(max_workers ?? availableParallelism(), options);
  }

  protected _canWait(): boolean {
    return false;
  }

  protected _signal(): Int32Array | null {
    return null;
  }

  protected _spawn(_index: number, events: WorkerEvents): WorkerHandle {
    const child = fork(WORKER_PATH, [], {
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: { ...process.env, TULIP_EXECUTOR_WORKER: "process" },
    });
    let ended = false;
    const end = (error: unknown | null) => {
      if (ended) return;
      ended = true;
      events.exit(error);
    };
    child.send({ t: "init", initializer: this._initializer, initargs: this._initargs });
    child.on("message", (m: FromWorker) => events.message(m));
    child.on("error", (e) => end(e));
    child.on("exit", (code, signal) => end(code === 0 ? null : new Error(signal ? `worker killed by ${signal}` : `worker exited with code ${code}`)));
    const channel = () => (child as unknown as { channel?: { ref(): void; unref(): void } }).channel;
    return {
      post: (msg: ToWorker) => { if (child.connected) child.send(msg); },
      ref: () => { child.ref(); channel()?.ref(); },
      unref: () => { child.unref(); channel()?.unref(); },
      drainSync: () => false,
      kill: () => { child.kill("SIGKILL"); },
    };
  }
}
