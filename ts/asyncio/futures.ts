/** A Future class similar to the one in PEP 3148 (futures.py). */
import { Context, copy_context } from "../contextvars.js";
import { _Handle1, _Handle2, _get_event_loop } from "./events.js";
import { CancelledError, InvalidStateError, StopIteration, RuntimeError, ValueError } from "./exceptions.js";
import { callableName, extractStack, repr } from "./format_helpers.js";
import { _isFuture, _isThenable } from "./coroutines.js";
import type { BaseEventLoop } from "./base_events.js";
import * as CFuture from "../concurrent/_base.js";

export const __all__ = ["Future", "wrap_future", "isfuture"] as const;

export const _PENDING = "PENDING";
export const _CANCELLED = "CANCELLED";
export const _FINISHED = "FINISHED";
type State = typeof _PENDING | typeof _CANCELLED | typeof _FINISHED;

// `any`: a callback for any Future, so Future<T> stays assignable to Future<unknown>.
type DoneCallback<_T> = (fut: Future<any>) => unknown;

/**
 * How an `await` of a pending Future suspends the task that awaits it. Set by tasks.ts;
 * returns false when no task takes the await (the caller then waits as a plain callback).
 */
let suspendHook: ((fut: Future<any>, onRes: (v: any) => unknown, onRej: (e: unknown) => unknown) => boolean) | null = null;
/** @internal */
export function _setSuspendHook(h: typeof suspendHook): void {
  suspendHook = h;
}

interface NeverRetrieved {
  loop: BaseEventLoop;
  exc: unknown;
  kind: string;
  repr: string;
}
const neverRetrieved = new FinalizationRegistry<NeverRetrieved>((h) => {
  if (h.loop.is_closed()) return;
  h.loop.call_exception_handler({ message: `${h.kind} exception was never retrieved`, exception: h.exc, future: h.repr });
});

/**
 * A Future: a placeholder for a result, attached to a loop. Thenable, so `await fut` works
 * in async functions (suspending the task that awaits it), and iterable, so a generator
 * coroutine can `yield* fut` as Python's `yield from fut`.
 *
 * Differences from concurrent.futures: result()/exception() do not block (they raise
 * InvalidStateError when not done); callbacks run through the loop's call_soon.
 */
export class Future<T = unknown> implements PromiseLike<T> {
  _state: State = _PENDING;
  _result: T | undefined = undefined;
  _exception: unknown = null;
  _loop: BaseEventLoop;
  _source_traceback: string[] | null = null;
  _cancel_message: unknown = null;
  _cancelled_exc: unknown = null;
  /**
   * The done callbacks and their contexts, flat ([cb, ctx, cb, ctx…]) and made at the first
   * add: most futures get one callback or none, and an empty array grown by push takes 17
   * slots (a pending task awaiting an Event paid 250 bytes here).
   */
  _callbacks: (DoneCallback<T> | Context)[] | null = null;
  /** Whether the Task waits on this future (Python's `_asyncio_future_blocking`). */
  _asyncio_future_blocking = false;
  private __log_traceback = false;

  constructor(options: { loop?: BaseEventLoop | null } = {}) {
    this._loop = options.loop ?? _get_event_loop();
    if (this._loop.get_debug()) this._source_traceback = extractStack();
  }

  get _log_traceback(): boolean {
    return this.__log_traceback;
  }
  set _log_traceback(val: boolean) {
    if (val) throw new ValueError("_log_traceback can only be set to False");
    this._retrieved();
  }

  private _retrieved(): void {
    if (this.__log_traceback) {
      this.__log_traceback = false;
      neverRetrieved.unregister(this);
    }
  }

  /** The event loop the Future is bound to. */
  get_loop(): BaseEventLoop {
    return this._loop;
  }

  /** The CancelledError to raise for a cancelled future (erases the saved one: call once). */
  _make_cancelled_error(): CancelledError {
    if (this._cancelled_exc !== null) {
      const exc = this._cancelled_exc as CancelledError;
      this._cancelled_exc = null;
      return exc;
    }
    const exc = this._cancel_message === null ? new CancelledError() : new CancelledError(this._cancel_message);
    exc.__context__ = this._cancelled_exc;
    this._cancelled_exc = null;
    return exc;
  }

  /** Cancel the future and schedule callbacks; false if it is already done. */
  cancel(msg: unknown = null): boolean {
    this._retrieved();
    if (this._state !== _PENDING) return false;
    this._state = _CANCELLED;
    this._cancel_message = msg;
    this.__schedule_callbacks();
    return true;
  }

  /**
   * Each callback goes to call_soon; on a closed loop the first raises RuntimeError('Event
   * loop is closed') out of set_result/set_exception/cancel (the future is done by then) and
   * the callbacks are dropped, as in CPython.
   */
  private __schedule_callbacks(): void {
    const callbacks = this._callbacks;
    if (callbacks === null) return;
    this._callbacks = null;
    this._loop._check_closed();
    for (let i = 0; i < callbacks.length; i += 2) {
      const cb = callbacks[i];
      const ctx = callbacks[i + 1] as Context;
      // A task waiting on this future is its own entry (see _add_task_wakeup).
      if (typeof cb === "function") this._loop._schedule(new _Handle1(cb as DoneCallback<T>, this, this._loop, ctx));
      else this._loop._schedule(new _Handle2(_taskWakeup!, cb, this, this._loop, ctx));
    }
  }

  /**
   * @internal add_done_callback(task.__wakeup, {context: task's}) without a closure per task:
   * the task itself goes in the list and _taskWakeup(task, future) is called when done.
   */
  _add_task_wakeup(task: { readonly _context: Context }): void {
    if (this._state !== _PENDING) {
      this._loop._check_closed();
      this._loop._schedule(new _Handle2(_taskWakeup!, task, this, this._loop, task._context));
    } else if (this._callbacks === null) this._callbacks = [task as never, task._context];
    else this._callbacks.push(task as never, task._context);
  }

  cancelled(): boolean {
    return this._state === _CANCELLED;
  }

  /** Done means either that a result / exception are available, or that the future was cancelled. */
  done(): boolean {
    return this._state !== _PENDING;
  }

  /** The result, or raise the exception (or CancelledError); InvalidStateError if not done. */
  result(): T {
    if (this._state === _CANCELLED) throw this._make_cancelled_error();
    if (this._state !== _FINISHED) throw new InvalidStateError("Result is not set.");
    this._retrieved();
    if (this._exception !== null) throw this._exception;
    return this._result as T;
  }

  /** The exception (null if none); CancelledError if cancelled, InvalidStateError if not done. */
  exception(): unknown {
    if (this._state === _CANCELLED) throw this._make_cancelled_error();
    if (this._state !== _FINISHED) throw new InvalidStateError("Exception is not set.");
    this._retrieved();
    return this._exception;
  }

  /**
   * Add a callback to be run when the future becomes done; it gets the future. Scheduled
   * with call_soon at once if the future is already done. `{ context }` as in Python.
   */
  add_done_callback(fn: DoneCallback<T>, options: { context?: Context | null } = {}): void {
    const context = options.context ?? null;
    if (this._state !== _PENDING) {
      this._loop._check_closed();
      this._loop._call_soon(fn as (...a: any[]) => unknown, [this], context);
    } else {
      const ctx = context ?? copy_context();
      if (this._callbacks === null) this._callbacks = [fn, ctx];
      else this._callbacks.push(fn, ctx);
    }
  }

  /** Remove all instances of a callback; returns how many were removed. */
  remove_done_callback(fn: DoneCallback<T>): number {
    const callbacks = this._callbacks;
    if (callbacks === null) return 0;
    const kept: (DoneCallback<T> | Context)[] = [];
    for (let i = 0; i < callbacks.length; i += 2) if (callbacks[i] !== fn) kept.push(callbacks[i], callbacks[i + 1]);
    const removed_count = (callbacks.length - kept.length) / 2;
    if (removed_count) this._callbacks = kept.length > 0 ? kept : null;
    return removed_count;
  }

  /** Mark the future done and set its result; InvalidStateError if already done. */
  set_result(result: T): void {
    if (this._state !== _PENDING) throw new InvalidStateError("invalid state");
    this._result = result;
    this._state = _FINISHED;
    this.__schedule_callbacks();
  }

  /** Mark the future done and set an exception (an instance or a class to instantiate). */
  set_exception(exception: unknown): void {
    if (this._state !== _PENDING) throw new InvalidStateError("invalid state");
    if (typeof exception === "function") exception = new (exception as new () => unknown)();
    if (exception instanceof StopIteration && exception.constructor === StopIteration) {
      throw new TypeError("StopIteration interacts badly with generators and cannot be raised into a Future");
    }
    if (!(exception instanceof Error)) throw new TypeError("invalid exception object");
    this._set_exception(exception);
  }

  /** @internal no checks; what a Task uses for whatever its coroutine threw. */
  _set_exception(exception: unknown): void {
    this._exception = exception;
    this._state = _FINISHED;
    this.__schedule_callbacks();
    this.__log_traceback = true;
    // V8 keeps an error's frames (receivers included: this future's task, say) until its stack
    // is formatted; format it now so the registry's reference does not keep them alive.
    if (exception instanceof Error) void exception.stack;
    neverRetrieved.register(this, { loop: this._loop, exc: exception, kind: this.constructor.name, repr: this.toString() }, this);
  }

  /**
   * Thenable: what `await fut` calls. A done future settles at once (no loop iteration, as
   * Python's `await` of a done future does not yield); a pending one suspends the awaiting
   * task (its `_fut_waiter`, which cancel() targets), or, outside a task, waits as a callback.
   * Returns undefined, not a chained promise: wrap in `Promise.resolve(fut)` to chain.
   */
  then<R1 = T, R2 = never>(onRes?: ((v: T) => R1 | PromiseLike<R1>) | null, onRej?: ((e: any) => R2 | PromiseLike<R2>) | null): any {
    const res = onRes ?? ((v: T) => v);
    const rej = onRej ?? ((e: unknown) => { throw e; });
    if (this._state !== _PENDING) {
      this._settle(res, rej);
      return undefined;
    }
    if (suspendHook !== null && suspendHook(this, res, rej)) return undefined;
    this.add_done_callback(() => this._settle(res, rej));
    return undefined;
  }

  /** @internal hands the outcome to a pair of promise callbacks. */
  _settle(onRes: (v: T) => unknown, onRej: (e: unknown) => unknown): void {
    let v: T;
    try {
      v = this.result();
    } catch (e) {
      onRej(e);
      return;
    }
    this._resolveWith(v, onRes, onRej);
  }

  /**
   * @internal Hands a result to a promise's resolve function. JavaScript adopts a thenable
   * result (a Future whose result is a Future resolves to the inner one's result); a future
   * whose result is itself would be adopted forever, so that is refused with TypeError, as
   * V8 refuses a promise resolved with itself. (Python's `await f` would return f.)
   */
  _resolveWith(v: T, onRes: (v: T) => unknown, onRej: (e: unknown) => unknown): void {
    if ((v as unknown) === this) onRej(new TypeError(`Chaining cycle detected: ${this} has itself as its result`));
    else onRes(v);
  }

  /** `yield* fut` in a generator coroutine: Python's Future.__await__ / __iter__. */
  [Symbol.iterator](): Generator<Future<T>, T, unknown> {
    return new FutureIter(this) as unknown as Generator<Future<T>, T, unknown>;
  }

  __await__(): Generator<Future<T>, T, unknown> {
    return this[Symbol.iterator]();
  }

  protected _repr_info(): string[] {
    const info: string[] = [this._state.toLowerCase()];
    if (this._state === _FINISHED) {
      if (this._exception !== null) info.push(`exception=${repr(this._exception)}`);
      else info.push(`result=${repr(this._result)}`);
    }
    if (this._callbacks !== null) info.push(_format_callbacks(this._callbacks.filter((_, i) => i % 2 === 0)));
    if (this._source_traceback) info.push(`created at ${this._source_traceback[0] ?? "?"}`);
    return info;
  }

  toString(): string {
    // reprlib.recursive_repr: a future in its own result (or a task awaiting itself) shows as "...".
    if (_inRepr.has(this)) return "...";
    _inRepr.add(this);
    try {
      return `<${this.constructor.name} ${this._repr_info().join(" ")}>`;
    } finally {
      _inRepr.delete(this);
    }
  }
}

const _inRepr = new Set<object>();

/** Task.task_wakeup(task, future), set by tasks.ts (which imports this module, not the reverse). */
let _taskWakeup: ((task: unknown, future: Future<unknown>) => void) | null = null;

/** @internal */
export function _setTaskWakeup(f: (task: unknown, future: Future<unknown>) => void): void {
  _taskWakeup = f;
}

function _format_callbacks(cb: unknown[]): string {
  const f = (c: unknown) => `${typeof c === "function" ? callableName(c) : callableName(_taskWakeup)}()`;
  let s: string;
  if (cb.length === 1) s = f(cb[0]);
  else if (cb.length === 2) s = `${f(cb[0])}, ${f(cb[1])}`;
  else s = `${f(cb[0])}, <${cb.length - 2} more>, ${f(cb[cb.length - 1])}`;
  return `cb=[${s}]`;
}

/**
 * What `yield* fut` iterates (CPython's FutureIter): the generator `Future.__iter__` is, step
 * for step, as a small object. A task suspended on a future holds one of these for as long as
 * it waits; a generator and its register file cost about 180 bytes more.
 */
class FutureIter<T> {
  /** 0: not started, 1: suspended at the yield of the future, 2: finished. */
  private state = 0;
  constructor(private readonly fut: Future<T>) {}

  next(): IteratorResult<Future<T>, T> {
    if (this.state === 0 && !this.fut.done()) {
      this.fut._asyncio_future_blocking = true;
      this.state = 1;
      return { value: this.fut, done: false }; // This tells Task to wait for completion.
    }
    if (this.state === 2) return { value: undefined as T, done: true };
    this.state = 2;
    if (!this.fut.done()) throw new RuntimeError("await wasn't used with future");
    return { value: this.fut.result(), done: true }; // May raise too.
  }

  throw(e: unknown): never {
    this.state = 2;
    throw e;
  }

  return(value: T): IteratorResult<Future<T>, T> {
    this.state = 2;
    return { value, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/** Check for a Future (asyncio.isfuture): an object of a class with `_asyncio_future_blocking`. */
export function isfuture(obj: unknown): boolean {
  return _isFuture(obj);
}

/** The loop of a future-like object. */
export function _get_loop(fut: Future<unknown>): BaseEventLoop {
  return fut.get_loop();
}

/** Helper setting a future's result unless it is cancelled (futures._set_result_unless_cancelled). */
export function _set_result_unless_cancelled<T>(fut: Future<T>, result: T): void {
  if (fut.cancelled()) return;
  fut.set_result(result);
}

/** concurrent.futures' exceptions become asyncio's (futures._convert_future_exc). */
function _convert_future_exc(exc: unknown): unknown {
  const cls = (exc as { constructor?: unknown } | null)?.constructor;
  if (cls === CFuture.CancelledError) return new CancelledError(...((exc as CFuture.CancelledError).args ?? []));
  if (cls === CFuture.InvalidStateError) return new InvalidStateError(...((exc as CFuture.InvalidStateError).args ?? []));
  return exc;
}

/** Copy state from a future to a concurrent.futures.Future. */
function _set_concurrent_future_state(concurrent: CFuture.Future<unknown>, source: Future<unknown>): void {
  if (source.cancelled()) concurrent.cancel();
  if (!concurrent.set_running_or_notify_cancel()) return;
  const exception = source.exception();
  if (exception !== null) concurrent.set_exception(_convert_future_exc(exception));
  else concurrent.set_result(source.result());
}

/** Copy state from another future (asyncio's or a concurrent.futures.Future) to an asyncio Future. */
function _copy_future_state(source: Future<unknown> | CFuture.Future<unknown>, dest: Future<unknown>): void {
  if (dest.cancelled()) return;
  if (source.cancelled()) dest.cancel();
  else {
    const exception = source.exception();
    if (exception !== null) dest.set_exception(_convert_future_exc(exception));
    else dest.set_result(source.result());
  }
}

/**
 * Chain two futures so that when one completes, so does the other; cancelling the
 * destination cancels the source (a concurrent future's job only while it has not started).
 */
export function _chain_future(source: Future<unknown> | CFuture.Future<unknown>, destination: Future<unknown> | CFuture.Future<unknown>): void {
  if (!_isFuture(source) && !(source instanceof CFuture.Future)) throw new TypeError("A future is required for source argument");
  if (!_isFuture(destination) && !(destination instanceof CFuture.Future)) throw new TypeError("A future is required for destination argument");
  const source_loop = _isFuture(source) ? (source as Future<unknown>).get_loop() : null;
  const dest_loop = _isFuture(destination) ? (destination as Future<unknown>).get_loop() : null;
  const _set_state = (future: Future<unknown> | CFuture.Future<unknown>, other: Future<unknown> | CFuture.Future<unknown>) => {
    if (_isFuture(future)) _copy_future_state(other, future as Future<unknown>);
    else _set_concurrent_future_state(future as CFuture.Future<unknown>, other as Future<unknown>);
  };
  const _call_check_cancel = (dest: Future<unknown> | CFuture.Future<unknown>) => {
    if (dest.cancelled()) {
      if (source_loop === null || source_loop === dest_loop) source.cancel();
      else source_loop.call_soon_threadsafe(() => source.cancel());
    }
  };
  const _call_set_state = (src: Future<unknown> | CFuture.Future<unknown>) => {
    if (destination.cancelled() && dest_loop !== null && dest_loop.is_closed()) return;
    if (dest_loop === null || dest_loop === source_loop) _set_state(destination, src);
    else {
      if (dest_loop.is_closed()) return;
      dest_loop.call_soon_threadsafe(_set_state, destination, src);
    }
  };
  (destination as Future<unknown>).add_done_callback(_call_check_cancel);
  (source as Future<unknown>).add_done_callback(_call_set_state);
}

/**
 * Wrap a concurrent.futures.Future (tulip/concurrent's) in an asyncio Future on `loop`, as
 * Python does; a native Promise (or any thenable) is wrapped too. A Future is returned as is.
 */
export function wrap_future<T>(future: PromiseLike<T> | Future<T> | CFuture.Future<T>, options: { loop?: BaseEventLoop | null } = {}): Future<T> {
  if (_isFuture(future)) return future as Future<T>;
  if (future instanceof CFuture.Future) {
    const loop = options.loop ?? _get_event_loop();
    const new_future = loop.create_future<T>();
    _chain_future(future as CFuture.Future<unknown>, new_future as Future<unknown>);
    return new_future;
  }
  if (!_isThenable(future)) throw new TypeError(`concurrent.futures.Future is expected, got ${repr(future)}`);
  const loop = options.loop ?? _get_event_loop();
  const new_future = loop.create_future<T>();
  (future as PromiseLike<T>).then(
    (v) => { if (!new_future.done() && !loop.is_closed()) new_future.set_result(v); },
    (e) => { if (!new_future.done() && !loop.is_closed()) new_future._set_exception(e); },
  );
  return new_future;
}
