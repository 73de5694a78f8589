/**
 * concurrent.futures._base: Future, Executor and the package's exceptions.
 *
 * A Future's callbacks run on the thread that completes it, as in CPython; in tulip that is
 * the thread that owns the pool (the main thread, for an executor made there): results come
 * back from the workers as messages.
 *
 * Blocking: `result(timeout)` and `exception(timeout)` wait as CPython's do where the thread
 * can wait — the future of a job in a ThreadPoolExecutor (the calling thread sleeps in
 * `Atomics.wait` and reads its workers' replies synchronously), and, in a worker thread, the
 * future `run_coroutine_threadsafe` gives. Elsewhere (a ProcessPoolExecutor's job: a child's
 * pipe cannot be read synchronously; a future nobody will complete from another thread) the
 * wait cannot happen, and a pending future raises TimeoutError at once, what CPython's
 * `result(timeout=0)` raises. In a running event loop, await `asyncio.wrap_future(fut)`
 * instead of blocking, as in CPython.
 */
import "../asyncio/_polyfills.js";
import { Exception, RuntimeError, TimeoutError, ValueError } from "../asyncio/exceptions.js";
import { repr } from "../asyncio/format_helpers.js";
import { logger } from "../asyncio/log.js";

export const FIRST_COMPLETED = "FIRST_COMPLETED";
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
export const ALL_COMPLETED = "ALL_COMPLETED";

const PENDING = "PENDING";
const RUNNING = "RUNNING";
const CANCELLED = "CANCELLED";
const CANCELLED_AND_NOTIFIED = "CANCELLED_AND_NOTIFIED";
const FINISHED = "FINISHED";
type State = typeof PENDING | typeof RUNNING | typeof CANCELLED | typeof CANCELLED_AND_NOTIFIED | typeof FINISHED;

const STATE_TO_DESCRIPTION: Record<State, string> = {
  PENDING: "pending", RUNNING: "running", CANCELLED: "cancelled", CANCELLED_AND_NOTIFIED: "cancelled", FINISHED: "finished",
};

function pyName(cls: { prototype: Error; name: string }): void {
  Object.defineProperty(cls.prototype, "name", { value: cls.name, writable: true, configurable: true });
}

/** Base class for all future-related exceptions (concurrent.futures.Error). */
export class Error_ extends Exception {}
Object.defineProperty(Error_.prototype, "name", { value: "Error", writable: true, configurable: true });
/** The Future was cancelled (concurrent.futures.CancelledError: an Exception, unlike asyncio's). */
export class CancelledError extends Error_ {}
pyName(CancelledError);
/** The operation is not allowed in this state. */
export class InvalidStateError extends Error_ {}
pyName(InvalidStateError);
/** An executor failed in a way that leaves it unusable. */
export class BrokenExecutor extends RuntimeError {}
pyName(BrokenExecutor);
export { TimeoutError };

/**
 * What makes a future's `result(timeout)` wait: a pool that can read its workers' replies
 * synchronously. `wait(pred, seconds)` returns when pred() holds or the time is up.
 * @internal
 */
export interface _Waiter {
  _waitSync(pred: () => boolean, timeout: number | null): void;
}

// `any`: a callback for any Future, so Future<T> stays assignable to Future<unknown>.
type DoneCallback<_T> = (fut: Future<any>) => unknown;

/**
 * Represents the result of an asynchronous computation (concurrent.futures.Future). Also a
 * thenable, so plain JavaScript (a worker's async function, code outside any loop) can
 * `await` it; inside a tulip task, await `asyncio.wrap_future(fut)`, as in CPython.
 */
export class Future<T = unknown> implements PromiseLike<T> {
  _state: State = PENDING;
  _result: T | undefined = undefined;
  _exception: unknown = null;
  _done_callbacks: DoneCallback<T>[] = [];
  /** @internal who can make result() wait for this future (null: nobody, it raises TimeoutError). */
  _waiter: _Waiter | null = null;

  private _invoke_callbacks(): void {
    const callbacks = this._done_callbacks;
    this._done_callbacks = [];
    for (const callback of callbacks) {
      try {
        callback(this);
      } catch (e) {
        logger.error(`exception calling callback for ${this}`, e);
      }
    }
  }

  toString(): string {
    if (this._state === FINISHED) {
      if (this._exception !== null) {
        const e = this._exception as Error;
        return `<Future at 0x0 state=${STATE_TO_DESCRIPTION[this._state]} raised ${e?.name ?? typeof e}>`;
      }
      return `<Future at 0x0 state=${STATE_TO_DESCRIPTION[this._state]} returned ${typeOf(this._result)}>`;
    }
    return `<Future at 0x0 state=${STATE_TO_DESCRIPTION[this._state]}>`;
  }

  /** Cancel the future if possible: false if it is running or done, true if it is (now) cancelled. */
  cancel(): boolean {
    if (this._state === RUNNING || this._state === FINISHED) return false;
    if (this._state === CANCELLED || this._state === CANCELLED_AND_NOTIFIED) return true;
    this._state = CANCELLED;
    this._invoke_callbacks();
    return true;
  }

  cancelled(): boolean {
    return this._state === CANCELLED || this._state === CANCELLED_AND_NOTIFIED;
  }

  running(): boolean {
    return this._state === RUNNING;
  }

  done(): boolean {
    return this._state === CANCELLED || this._state === CANCELLED_AND_NOTIFIED || this._state === FINISHED;
  }

  private __get_result(): T {
    if (this._exception !== null) throw this._exception;
    return this._result as T;
  }

  /**
   * Attach a callable called with the future when it is cancelled or finishes; at once if it
   * already has. It runs on the thread that completes the future (here: the pool's owner).
   */
  add_done_callback(fn: DoneCallback<T>): void {
    if (!this.done()) {
      this._done_callbacks.push(fn);
      return;
    }
    try {
      fn(this);
    } catch (e) {
      logger.error(`exception calling callback for ${this}`, e);
    }
  }

  /** Waits (where the thread can: see the module's doc) until done or `timeout` seconds passed. */
  private _wait(timeout: number | null): void {
    if (this.done()) return;
    if (timeout !== null && timeout !== undefined && timeout <= 0) return;
    this._waiter?._waitSync(() => this.done(), timeout ?? null);
  }

  /**
   * The result of the call; raises its exception, CancelledError if cancelled, TimeoutError if
   * not done within `timeout` seconds (null: no limit). A future no thread can wait for here
   * raises TimeoutError at once (see the module's doc).
   */
  result(timeout: number | null = null): T {
    if (this.cancelled()) throw new CancelledError();
    if (this._state === FINISHED) return this.__get_result();
    this._wait(timeout);
    if (this.cancelled()) throw new CancelledError();
    if ((this._state as State) === FINISHED) return this.__get_result();
    throw this._timeoutError(timeout);
  }

  /** The exception raised by the call (null if none), waiting as result() does. */
  exception(timeout: number | null = null): unknown {
    if (this.cancelled()) throw new CancelledError();
    if (this._state === FINISHED) return this._exception;
    this._wait(timeout);
    if (this.cancelled()) throw new CancelledError();
    if ((this._state as State) === FINISHED) return this._exception;
    throw this._timeoutError(timeout);
  }

  private _timeoutError(timeout: number | null): TimeoutError {
    if (this._waiter === null && (timeout === null || timeout === undefined || timeout > 0)) {
      return new TimeoutError("this thread cannot wait for this future (a job in another process, or a future no other thread completes): await it, or asyncio.wrap_future(fut) in a loop");
    }
    return new TimeoutError();
  }

  /**
   * Mark the future running, or (if it was cancelled) notify its waiters and return false.
   * For executors; raises RuntimeError if the future is already running or done.
   */
  set_running_or_notify_cancel(): boolean {
    if (this._state === CANCELLED) {
      this._state = CANCELLED_AND_NOTIFIED;
      return false;
    }
    if (this._state === PENDING) {
      this._state = RUNNING;
      return true;
    }
    logger.error(`Future ${this} in unexpected state: ${this._state}`);
    throw new RuntimeError("Future in unexpected state");
  }

  /** Set the result (for executors and tests). */
  set_result(result: T): void {
    if (this._state === CANCELLED || this._state === CANCELLED_AND_NOTIFIED || this._state === FINISHED) {
      throw new InvalidStateError(`${this._state}: ${this}`);
    }
    this._result = result;
    this._state = FINISHED;
    this._invoke_callbacks();
  }

  /** Set the exception (for executors and tests). */
  set_exception(exception: unknown): void {
    if (this._state === CANCELLED || this._state === CANCELLED_AND_NOTIFIED || this._state === FINISHED) {
      throw new InvalidStateError(`${this._state}: ${this}`);
    }
    this._exception = exception;
    this._state = FINISHED;
    this._invoke_callbacks();
  }

  /** Thenable: resolves with the result, rejects with the exception (CancelledError if cancelled). */
  then<R1 = T, R2 = never>(onRes?: ((v: T) => R1 | PromiseLike<R1>) | null, onRej?: ((e: any) => R2 | PromiseLike<R2>) | null): PromiseLike<R1 | R2> {
    return new Promise<T>((resolve, reject) => {
      this.add_done_callback((f) => {
        if (f.cancelled()) reject(new CancelledError());
        else if (f._exception !== null) reject(f._exception);
        else resolve(f._result as T);
      });
    }).then(onRes, onRej);
  }
}

function typeOf(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}

/** An abstract executor (concurrent.futures.Executor): `submit`, `map`, `shutdown`. */
export abstract class Executor {
  /** Schedule `fn(...args)` and return a Future for its result. */
  abstract submit<T>(fn: (...args: any[]) => T | PromiseLike<T>, ...args: unknown[]): Future<Awaited<T>>;

  /**
   * Like `map(fn, *iterables)`: the calls are submitted at once, and the returned iterator
   * yields their results in order, each waited for as `result(timeout)` waits (the timeout
   * counts from this call). Leaving the iteration early cancels the calls not yet started.
   * With `{ timeout }` or `{ chunksize }` as the last argument (chunksize is accepted and, as
   * in ThreadPoolExecutor, ignored).
   */
  map<T>(fn: (...args: any[]) => T | PromiseLike<T>, ...iterables: unknown[]): Generator<Awaited<T>, void, undefined> {
    let timeout: number | null = null;
    const last = iterables[iterables.length - 1];
    if (iterables.length > 1 && last !== null && typeof last === "object" && !(Symbol.iterator in (last as object))) {
      iterables.pop();
      timeout = (last as { timeout?: number | null }).timeout ?? null;
    }
    const end_time = timeout !== null ? performance.now() / 1000 + timeout : null;
    const its = iterables.map((it) => {
      if (it === null || typeof it !== "object" || !(Symbol.iterator in (it as object))) throw new TypeError(`'${typeOf(it)}' object is not iterable`);
      return (it as Iterable<unknown>)[Symbol.iterator]();
    });
    const fs: Future<Awaited<T>>[] = [];
    for (;;) {
      const args: unknown[] = [];
      for (const it of its) {
        const r = it.next();
        if (r.done) break;
        args.push(r.value);
      }
      if (args.length < its.length || its.length === 0) break;
      fs.push(this.submit(fn, ...args));
    }
    return (function* result_iterator(): Generator<Awaited<T>, void, undefined> {
      try {
        fs.reverse();
        while (fs.length > 0) {
          const f = fs.pop()!;
          if (end_time === null) yield f.result();
          else yield f.result(end_time - performance.now() / 1000);
        }
      } finally {
        for (const f of fs) f.cancel();
      }
    })();
  }

  /**
   * Free the executor's resources once the pending futures are done. `wait` (default true)
   * waits for them (a thread pool blocks the calling thread, as CPython's does); the returned
   * Promise settles once every worker has exited, for callers that cannot block.
   * `cancel_futures` cancels the futures whose call has not started.
   */
  abstract shutdown(options?: { wait?: boolean; cancel_futures?: boolean }): Promise<void>;

  /** Python's `with executor as ex:` entry: the executor itself. */
  __enter__(): this {
    return this;
  }

  /** Python's `with executor:` exit: `shutdown({ wait: true })`. */
  __exit__(_t?: unknown, _v?: unknown, _tb?: unknown): boolean {
    void this.shutdown({ wait: true });
    return false;
  }

  [Symbol.dispose](): void {
    void this.shutdown({ wait: true });
  }
}

export { repr as _repr };

/** Blocks until pred() holds or `timeout` seconds passed, through the futures' pools (those that can wait). */
function _waitFor(fs: Iterable<Future<unknown>>, pred: () => boolean, timeout: number | null): void {
  const waiters = [...new Set([...fs].map((f) => f._waiter).filter((w): w is _Waiter => w !== null))];
  if (waiters.length === 0) return;
  const deadline = timeout === null ? Infinity : performance.now() + timeout * 1000;
  while (!pred()) {
    const rest = deadline - performance.now();
    if (rest <= 0) return;
    // One pool: wait on it; several: take turns in short slices.
    const slice = waiters.length === 1 ? rest : Math.min(rest, 5);
    for (const w of waiters) {
      w._waitSync(pred, slice === Infinity ? null : slice / 1000);
      if (pred()) return;
    }
  }
}

/** What wait() returns: `done` and `not_done`, also as a pair (`const [done, not_done] = wait(fs)`). */
export class DoneAndNotDoneFutures<T> {
  constructor(readonly done: Set<Future<T>>, readonly not_done: Set<Future<T>>) {}
  *[Symbol.iterator](): Generator<Set<Future<T>>> {
    yield this.done;
    yield this.not_done;
  }
}

/**
 * Wait for the futures to complete (concurrent.futures.wait): until the first completes
 * (FIRST_COMPLETED), one raises (FIRST_EXCEPTION) or all are done (ALL_COMPLETED, the default),
 * or `timeout` seconds passed. Futures no thread here can wait for (a ProcessPoolExecutor's)
 * are taken as they are at the call, as with timeout 0.
 */
export function wait<T>(fs: Iterable<Future<T>>, options: { timeout?: number | null; return_when?: string } = {}): DoneAndNotDoneFutures<T> {
  const all = new Set(fs);
  const return_when = options.return_when ?? ALL_COMPLETED;
  if (![FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED].includes(return_when)) throw new ValueError(`Invalid return condition: ${repr(return_when)}`);
  const split = () => {
    const done = new Set<Future<T>>(), not_done = new Set<Future<T>>();
    for (const f of all) (f.done() ? done : not_done).add(f);
    return [done, not_done] as const;
  };
  const satisfied = () => {
    const [done, not_done] = split();
    if (not_done.size === 0) return true;
    if (return_when === FIRST_COMPLETED) return done.size > 0;
    if (return_when === FIRST_EXCEPTION) return [...done].some((f) => !f.cancelled() && f._exception !== null);
    return false;
  };
  if (!satisfied()) _waitFor(all as Set<Future<unknown>>, satisfied, options.timeout ?? null);
  const [done, not_done] = split();
  return new DoneAndNotDoneFutures(done, not_done);
}

/**
 * Yield the futures as they complete (finished or cancelled), those already done first
 * (concurrent.futures.as_completed); TimeoutError when `timeout` seconds pass first, or when
 * the rest cannot be waited for here (a ProcessPoolExecutor's futures: await them instead).
 */
export function* as_completed<T>(fs: Iterable<Future<T>>, timeout: number | null = null): Generator<Future<T>, void, undefined> {
  const end_time = timeout === null ? null : performance.now() / 1000 + timeout;
  const all = new Set(fs);
  const total = all.size;
  const yielded = new Set<Future<T>>();
  for (;;) {
    const finished = [...all].filter((f) => f.done() && !yielded.has(f));
    for (const f of finished) {
      yielded.add(f);
      yield f;
    }
    const pending = [...all].filter((f) => !yielded.has(f));
    if (pending.length === 0) return;
    const rest = end_time === null ? null : end_time - performance.now() / 1000;
    if (rest !== null && rest <= 0) throw new TimeoutError(`${pending.length} (of ${total}) futures unfinished`);
    if (pending.every((f) => f._waiter === null)) {
      throw new TimeoutError(`${pending.length} (of ${total}) futures unfinished: this thread cannot wait for them (await them instead)`);
    }
    _waitFor(pending as Future<unknown>[], () => pending.some((f) => f.done()), rest);
  }
}
