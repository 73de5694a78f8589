/**
 * The bridge's seam to the event loop: the Future a remote call returns and the task a
 * served function runs as. Everything loop-specific in the bridge goes through here.
 *
 * On a tulip loop (the peer's `loop` option, or the loop running when the peer was made or
 * the call is made), a call returns that loop's `Future` and a served function runs as a
 * `Task`, so cancelling the awaiting task cancels the remote one and a remote cancel throws
 * CancelledError into the served function. Outside any loop (plain Node code), a call returns
 * a loop-free {@link SimpleFuture} with the same surface, and a served function runs as a
 * plain promise: a remote cancel or deadline then stops its outcome from being reported but
 * cannot interrupt it.
 *
 * `peer.call(…)` is a lazy coroutine ({@link RemoteCall}) around that Future, as Python's
 * `peer.call` is a coroutine: nothing is sent before it is first stepped.
 */
import { CancelledError, InvalidStateError } from "../asyncio/exceptions.js";
import type { BaseEventLoop } from "../asyncio/base_events.js";
import { CoroutineObject, _isFuture, iscoroutine, type Awaitable } from "../asyncio/coroutines.js";
import "../asyncio/tasks.js"; // it sets how a coroutine object is awaited (inline in a task, or detached)
import type { Context } from "../contextvars.js";

/** The part of asyncio's Future the bridge uses (a thenable: `await fut` works). */
export interface BridgeFuture<T = unknown> extends PromiseLike<T> {
  set_result(v: T): void;
  set_exception(e: unknown): void;
  cancel(msg?: unknown): boolean;
  cancelled(): boolean;
  done(): boolean;
  result(): T;
  exception(): unknown;
  add_done_callback(cb: (f: BridgeFuture<T>) => void): void;
}

type State = "PENDING" | "FINISHED" | "CANCELLED";

/** A loop-free Future with asyncio's surface; done callbacks run in a microtask. */
export class SimpleFuture<T = unknown> implements BridgeFuture<T> {
  private _state: State = "PENDING";
  private _result: T | undefined;
  private _exception: unknown = null;
  private _cancelMsg: unknown = null;
  private _callbacks: Array<(f: BridgeFuture<T>) => void> = [];

  done(): boolean {
    return this._state !== "PENDING";
  }
  cancelled(): boolean {
    return this._state === "CANCELLED";
  }
  result(): T {
    if (this._state === "CANCELLED") throw this._cancelError();
    if (this._state !== "FINISHED") throw new InvalidStateError("Result is not ready.");
    if (this._exception !== null) throw this._exception;
    return this._result as T;
  }
  exception(): unknown {
    if (this._state === "CANCELLED") throw this._cancelError();
    if (this._state !== "FINISHED") throw new InvalidStateError("Exception is not set.");
    return this._exception;
  }
  set_result(v: T): void {
    if (this._state !== "PENDING") throw new InvalidStateError(`invalid state`);
    this._result = v;
    this._finish("FINISHED");
  }
  set_exception(e: unknown): void {
    if (this._state !== "PENDING") throw new InvalidStateError(`invalid state`);
    this._exception = e;
    this._finish("FINISHED");
  }
  cancel(msg: unknown = null): boolean {
    if (this._state !== "PENDING") return false;
    this._cancelMsg = msg;
    this._finish("CANCELLED");
    return true;
  }
  add_done_callback(cb: (f: BridgeFuture<T>) => void): void {
    if (this.done()) queueMicrotask(() => cb(this));
    else this._callbacks.push(cb);
  }
  then<R1 = T, R2 = never>(
    onOk?: ((v: T) => R1 | PromiseLike<R1>) | null,
    onErr?: ((e: unknown) => R2 | PromiseLike<R2>) | null,
  ): PromiseLike<R1 | R2> {
    return new Promise<T>((resolve, reject) => {
      this.add_done_callback(() => {
        try {
          resolve(this.result());
        } catch (e) {
          reject(e);
        }
      });
    }).then(onOk, onErr);
  }
  private _cancelError(): CancelledError {
    return this._cancelMsg === null ? new CancelledError() : new CancelledError(this._cancelMsg);
  }
  private _finish(state: State): void {
    this._state = state;
    const cbs = this._callbacks;
    this._callbacks = [];
    for (const cb of cbs) queueMicrotask(() => cb(this));
  }
}

export function createFuture<T>(loop: BaseEventLoop | null): BridgeFuture<T> {
  if (loop !== null && !loop.is_closed()) return loop.create_future<T>() as unknown as BridgeFuture<T>;
  return new SimpleFuture<T>();
}

/** A running served call: cancel it, learn how it ended. */
export interface TaskHandle {
  cancel(msg?: unknown): void;
}

/**
 * Runs `fn` as a task and reports how it ended. Without a cancellable task, `cancel`
 * only stops the outcome from being reported; the function runs on.
 */
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown; cancelled: boolean };

export function runTask(loop: BaseEventLoop | null, fn: () => unknown, context: Context | undefined, onDone: (outcome: Outcome) => void): TaskHandle {
  if (loop !== null && !loop.is_closed()) {
    // The function runs inside the task's first step; a plain value becomes its result.
    const task = loop.create_task(() => {
      const r = fn();
      const coroLike = iscoroutine(r) || r instanceof Promise || (r !== null && typeof (r as PromiseLike<unknown>)?.then === "function");
      return (coroLike ? r : Promise.resolve(r)) as Awaitable<unknown>;
    }, context ? { context } : {});
    task.add_done_callback((t) => {
      if (t.cancelled()) {
        let error: unknown;
        try {
          t.result();
        } catch (e) {
          error = e;
        }
        onDone({ ok: false, error, cancelled: true });
      } else if (t.exception() !== null) onDone({ ok: false, error: t.exception(), cancelled: false });
      else onDone({ ok: true, value: t.result() });
    });
    return { cancel: (msg?: unknown) => void task.cancel(msg ?? null) };
  }
  let cancelled = false;
  let started: Promise<unknown>;
  try {
    started = Promise.resolve(context ? context.run(fn) : fn());
  } catch (e) {
    started = Promise.reject(e);
  }
  started
    .then(
      (value) => !cancelled && onDone({ ok: true, value }),
      (error) => !cancelled && onDone({ ok: false, error, cancelled: error instanceof CancelledError }),
    );
  return {
    cancel(msg?: unknown) {
      if (cancelled) return;
      cancelled = true;
      onDone({ ok: false, error: new CancelledError(msg ?? null), cancelled: true });
    },
  };
}

/**
 * What `peer.call(…)` returns: a lazy coroutine object, as Python's `peer.call(…)` is a
 * coroutine. Nothing is sent until it is first stepped — awaited, or run by `create_task`,
 * `TaskGroup.create_task`, `gather`, `wait_for`, `shield`; then it makes the call (`invoke`'s
 * Future, on the loop it runs on) and waits on it, so cancelling the task that runs it cancels
 * the remote task. Awaitable from plain Node code too, and, unlike other coroutine objects,
 * its `then` returns a Promise (`call(…).then(f)`, Jest's `expect(call(…)).rejects`).
 *
 * Python: `await peer.call(name, *args)`, `asyncio.create_task(peer.call(…))`.
 */
export class RemoteCall<T = unknown> extends CoroutineObject<T> {
  constructor(start: () => BridgeFuture<T>) {
    super(() => awaitCall(start), "Peer.call");
  }

  override then<R1 = T, R2 = never>(onRes?: ((v: T) => R1 | PromiseLike<R1>) | null, onRej?: ((e: any) => R2 | PromiseLike<R2>) | null): any {
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const p = new Promise<R1 | R2>((a, b) => {
      resolve = a as (v: unknown) => void;
      reject = b;
    });
    // onRes/onRej run as the coroutine resumes (inline in a task), not a microtask later.
    super.then(
      (v) => {
        if (!onRes) return resolve(v);
        try {
          resolve(onRes(v));
        } catch (e) {
          reject(e);
        }
      },
      (e) => {
        if (!onRej) return reject(e);
        try {
          resolve(onRej(e));
        } catch (e2) {
          reject(e2);
        }
      },
    );
    return p;
  }
}

/** The body of a RemoteCall: make the call, wait for its Future (a task waits on it as its `_fut_waiter`). */
function* awaitCall<T>(start: () => BridgeFuture<T>): Generator<unknown, T, unknown> {
  const fut = start();
  if (_isFuture(fut)) return yield* (fut as unknown as Iterable<unknown>) as unknown as Generator<unknown, T, unknown>;
  return (yield fut) as T;
}
