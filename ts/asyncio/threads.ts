/** High-level support for working with threads in asyncio (threads.py). */
import { NotImplementedError } from "./exceptions.js";
import { coroutine } from "./coroutines.js";

export const __all__ = ["to_thread"] as const;

/**
 * Python runs `func` in the default thread pool, sharing its objects. JavaScript objects
 * cannot be shared with threads, so awaiting this raises NotImplementedError; run blocking
 * work with `loop.run_in_executor(executor, ...)` and an executor of your own (a
 * worker_threads pool), or use Node's asynchronous APIs instead.
 */
export const to_thread = coroutine(async function to_thread(func: unknown, ..._args: unknown[]): Promise<never> {
  void func;
  throw new NotImplementedError(
    "to_thread(): Node.js threads (worker_threads) cannot share JavaScript objects with the loop; use loop.run_in_executor() with an executor, or an asynchronous Node API",
  );
});
