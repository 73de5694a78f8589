/** High-level support for working with threads in asyncio (threads.py). */
import { copy_context } from "../contextvars.js";
import { coroutine } from "./coroutines.js";
import { get_running_loop } from "./events.js";

export const __all__ = ["to_thread"] as const;

/**
 * Asynchronously run function `func` in a separate thread: the loop's default executor (a
 * ThreadPoolExecutor on worker_threads). Any `...args` are supplied to the function. The
 * current context is copied, as CPython copies it: the values of its variables that can be
 * cloned cross to the thread, where the ContextVars of the same names see them (the thread has
 * its own copies of every module, so it has its own ContextVar objects); a `set` there stays
 * there. Returns a coroutine that can be awaited to get the eventual result of `func`.
 *
 * `func` crosses by its module and export name: tag it with `threadable(import.meta.url, func)`
 * from tulip/concurrent (any other function raises TypeError saying so); its arguments and
 * result cross by structured clone.
 * @example
 * ```ts
 * export const crunch = threadable(import.meta.url, function crunch(n: number) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; });
 * const total = await asyncio.to_thread(crunch, 1e8); // other tasks run meanwhile
 * ```
 */
export const to_thread = coroutine(async function to_thread<T>(func: (...args: any[]) => T | PromiseLike<T>, ...args: unknown[]): Promise<Awaited<T>> {
  const loop = get_running_loop();
  const ctx = copy_context();
  return (await loop._to_thread(func, args, ctx)) as Awaited<T>;
});
