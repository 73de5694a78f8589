/**
 * tulip/concurrent: Python's concurrent.futures for Node — `Future`, `Executor`,
 * `ThreadPoolExecutor` (worker_threads), `ProcessPoolExecutor` (child processes) — and what
 * a function needs to run in one: `threadable(import.meta.url, fn)`, `isMainModule(import.meta)`.
 * What crosses to a worker and back is described in _crossing.ts and the README.
 */
export {
  Future, Executor, CancelledError, InvalidStateError, BrokenExecutor, TimeoutError, Error_ as Error,
  FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED, wait, as_completed, DoneAndNotDoneFutures,
} from "./_base.js";
export { ThreadPoolExecutor, BrokenThreadPool } from "./thread.js";
export type { ThreadPoolOptions } from "./thread.js";
export { ProcessPoolExecutor, BrokenProcessPool } from "./process.js";
export type { ProcessPoolOptions } from "./process.js";
export { threadable, isMainModule } from "./_crossing.js";
export type { LoopProxy } from "./_worker.js";

/** concurrent.futures.__all__. */
export const __all__ = [
  "FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED", "CancelledError", "TimeoutError", "BrokenExecutor",
  "Future", "Executor", "wait", "as_completed", "ProcessPoolExecutor", "ThreadPoolExecutor",
] as const;
