/**
 * Synchronization primitives (locks.py): Lock, Event, Condition, Semaphore, BoundedSemaphore,
 * Barrier — CPython 3.11's algorithms, line for line, so that wake-up and cancellation order
 * match CPython's.
 *
 * Every method that is `async def` in CPython returns a lazy coroutine ({@link Coro}): `await`
 * it in an async function, `yield*` it in a generator coroutine, or hand it to `create_task`,
 * `wait_for`, `gather`. Each lock is an async context manager three ways: `asyncWith(lock, async
 * () => …)`, `await using _ = await asyncEnter(lock)`, and `__aenter__()` / `__aexit__()`.
 *
 * Difference from CPython: reprs show a stable serial number where CPython shows `id()`.
 */
import { BrokenBarrierError, CancelledError, RuntimeError, ValueError } from "./exceptions.js";
import { _await } from "./tasks.js";
import type { Future } from "./futures.js";
import { isPlainObject } from "./_options.js";
import { Coro, _LoopBoundMixin, _id, _lazyCoroutine, _remove } from "./mixins.js";

export const __all__ = ["Lock", "Event", "Condition", "Semaphore", "BoundedSemaphore", "Barrier"] as const;

/** `<asyncio.locks.Lock object at 0x… [extra]>`: CPython's repr, with a stable id for the address. */
function _repr(obj: object, extra: string): string {
  return `<asyncio.locks.${obj.constructor.name} object at ${_id(obj)} [${extra}]>`;
}

/**
 * `async with` for Lock, Condition and Semaphore (locks._ContextManagerMixin): enter acquires
 * (and resolves to None, as Python's), exit releases.
 */
export abstract class _ContextManagerMixin extends _LoopBoundMixin {
  abstract acquire(): Coro<boolean>;
  abstract release(): void;

  /** `async with lock:` entry: acquires; resolves to null (Python: None). */
  __aenter__(): Coro<null> {
    return this._co_aenter() as Coro<null>;
  }
  *_co_aenter(): Generator<unknown, null, unknown> {
    yield* this.acquire();
    // We have no use for the "as ..."  clause in the with statement for locks.
    return null;
  }

  /** `async with lock:` exit: releases; never suppresses the body's exception. */
  __aexit__(_exc_type: unknown, _exc: unknown, _tb: unknown): Coro<null> {
    return this._co_aexit() as Coro<null>;
  }
  *_co_aexit(): Generator<unknown, null, unknown> {
    this.release();
    return null;
  }

}
_lazyCoroutine(_ContextManagerMixin.prototype._co_aenter, "_ContextManagerMixin.__aenter__");
_lazyCoroutine(_ContextManagerMixin.prototype._co_aexit, "_ContextManagerMixin.__aexit__");

/**
 * Primitive lock objects (asyncio.Lock): not owned by a task; `acquire()` waits until the lock
 * is unlocked, waiters are served first come, first served. Releasing an unlocked lock raises
 * `RuntimeError: Lock is not acquired.`
 *
 * @example
 * ```ts
 * const lock = new asyncio.Lock();
 * await asyncio.asyncWith(lock, async () => {   // async with lock:
 *   console.log(lock.locked());                  //     print(lock.locked())  -> True
 * });
 * ```
 */
export class Lock extends _ContextManagerMixin {
  /** The futures of the waiting acquire() calls (collections.deque), created on first wait. */
  _waiters: Future<boolean>[] | null = null;
  _locked = false;

  override toString(): string {
    let extra = this._locked ? "locked" : "unlocked";
    if (this._waiters?.length) extra = `${extra}, waiters:${this._waiters.length}`;
    return _repr(this, extra);
  }

  /** Return True if lock is acquired. */
  locked(): boolean {
    return this._locked;
  }

  /** Acquire the lock, waiting until it is unlocked; resolves to true. */
  acquire(): Coro<boolean> {
    return this._co_acquire() as Coro<boolean>;
  }
  *_co_acquire(): Generator<unknown, boolean, unknown> {
    if (!this._locked && (this._waiters === null || _allCancelled(this._waiters))) {
      this._locked = true;
      return true;
    }
    this._waiters ??= [];
    const fut = this._get_loop().create_future<boolean>();
    this._waiters.push(fut);
    // The finally runs before the CancelledError handling, so that a cancelled waiter
    // does not wake up itself.
    try {
      try {
        yield* fut;
      } finally {
        _remove(this._waiters, fut);
      }
    } catch (exc) {
      if (exc instanceof CancelledError && !this._locked) this._wake_up_first();
      throw exc;
    }
    this._locked = true;
    return true;
  }

  /** Release the lock and let the first waiter (if any) proceed; RuntimeError if unlocked. */
  release(): void {
    if (this._locked) {
      this._locked = false;
      this._wake_up_first();
    } else {
      throw new RuntimeError("Lock is not acquired.");
    }
  }

  /** Wake up the first waiter if it isn't done. */
  _wake_up_first(): void {
    if (!this._waiters || this._waiters.length === 0) return;
    const fut = this._waiters[0];
    // .done() means that the waiter will wake up later on and either take the lock, or, if
    // it was cancelled and the lock wasn't taken already, hit this again and wake the next.
    if (!fut.done()) fut.set_result(true);
  }
}
_lazyCoroutine(Lock.prototype._co_acquire, "Lock.acquire");

function _allCancelled(waiters: Future<unknown>[]): boolean {
  for (let i = 0; i < waiters.length; i++) if (!waiters[i].cancelled()) return false;
  return true;
}

/**
 * Asynchronous equivalent to threading.Event (asyncio.Event): a flag; `wait()` blocks until it
 * is set. `set()` wakes every waiter.
 *
 * @example
 * ```ts
 * const ready = new asyncio.Event();
 * const waiter = asyncio.create_task(async () => { await ready.wait(); console.log("go"); });
 * await asyncio.sleep(0); // the waiter blocks in wait()
 * ready.set();
 * await waiter;
 * ```
 */
export class Event extends _LoopBoundMixin {
  _waiters: Future<boolean>[] = [];
  _value = false;

  override toString(): string {
    let extra = this._value ? "set" : "unset";
    if (this._waiters.length) extra = `${extra}, waiters:${this._waiters.length}`;
    return _repr(this, extra);
  }

  /** Return True if and only if the internal flag is true. */
  is_set(): boolean {
    return this._value;
  }

  /** Set the flag; all waiting tasks are awakened, later wait() calls return at once. */
  set(): void {
    if (!this._value) {
      this._value = true;
      for (const fut of this._waiters) if (!fut.done()) fut.set_result(true);
    }
  }

  /** Reset the flag to false. */
  clear(): void {
    this._value = false;
  }

  /** Block until the flag is true; resolves to true. */
  wait(): Coro<true> {
    return this._co_wait() as Coro<true>;
  }
  *_co_wait(): Generator<unknown, true, unknown> {
    if (this._value) return true;
    const fut = this._get_loop().create_future<boolean>();
    this._waiters.push(fut);
    try {
      yield* fut;
      return true;
    } finally {
      _remove(this._waiters, fut);
    }
  }
}
_lazyCoroutine(Event.prototype._co_wait, "Event.wait");

/** What Condition needs of its lock: a Lock, or any object with the same three methods. */
export interface _LockLike {
  locked(): boolean;
  acquire(): unknown;
  release(): void;
}

/**
 * Asynchronous equivalent to threading.Condition (asyncio.Condition): tasks wait until
 * notified. Uses its own Lock, or the one given: `new Condition(lock)` / `new Condition({ lock })`.
 * In 3.11 a waiter cancelled after it was notified does not pass the notification on.
 *
 * @example
 * ```ts
 * const cond = new asyncio.Condition();
 * const items: number[] = [];
 * // consumer: async with cond: await cond.wait_for(lambda: items)
 * const consumer = asyncio.create_task(() => asyncio.asyncWith(cond, () => cond.wait_for(() => items.length > 0)));
 * await asyncio.sleep(0);
 * // producer: async with cond: items.append(1); cond.notify()
 * await asyncio.asyncWith(cond, async () => { items.push(1); cond.notify(); });
 * await consumer;
 * ```
 */
export class Condition extends _ContextManagerMixin {
  _lock: _LockLike;
  _waiters: Future<boolean>[] = [];

  constructor(lock: _LockLike | { lock?: _LockLike | null } | null = null) {
    super();
    // `{ lock }` is the keyword form; any other object is the lock itself (it may be a literal).
    if (isPlainObject(lock) && Object.keys(lock).length === 1 && "lock" in lock) lock = lock.lock ?? null;
    this._lock = (lock as _LockLike | null) ?? new Lock();
  }

  override toString(): string {
    let extra = this.locked() ? "locked" : "unlocked";
    if (this._waiters.length) extra = `${extra}, waiters:${this._waiters.length}`;
    return _repr(this, extra);
  }

  /** The lock's locked(). */
  locked(): boolean {
    return this._lock.locked();
  }
  /** The lock's acquire(). */
  acquire(): Coro<boolean> {
    return this._lock.acquire() as Coro<boolean>;
  }
  /** The lock's release(). */
  release(): void {
    this._lock.release();
  }

  /**
   * Wait until notified: releases the lock, blocks until notify()/notify_all(), then
   * re-acquires the lock (even when cancelled) and resolves to true. RuntimeError if the
   * lock is not held.
   */
  wait(): Coro<true> {
    return this._co_wait() as Coro<true>;
  }
  *_co_wait(): Generator<unknown, true, unknown> {
    if (!this.locked()) throw new RuntimeError("cannot wait on un-acquired lock");
    this.release();
    try {
      const fut = this._get_loop().create_future<boolean>();
      this._waiters.push(fut);
      try {
        yield* fut;
        return true;
      } finally {
        _remove(this._waiters, fut);
      }
    } finally {
      // Must reacquire lock even if wait is cancelled.
      let cancelled = false;
      for (;;) {
        try {
          yield* _await(this._lock.acquire());
          break;
        } catch (exc) {
          if (!(exc instanceof CancelledError)) throw exc;
          cancelled = true;
        }
      }
      if (cancelled) throw new CancelledError();
    }
  }

  /** Wait until `predicate()` is truthy; resolves to its last value. */
  wait_for<T>(predicate: () => T): Coro<T> {
    return this._co_wait_for(predicate) as Coro<T>;
  }
  *_co_wait_for<T>(predicate: () => T): Generator<unknown, T, unknown> {
    let result = predicate();
    while (!result) {
      yield* this._co_wait();
      result = predicate();
    }
    return result;
  }

  /** Wake up at most `n` waiting tasks (default 1). RuntimeError if the lock is not held. */
  notify(n = 1): void {
    if (!this.locked()) throw new RuntimeError("cannot notify on un-acquired lock");
    let idx = 0;
    for (const fut of this._waiters) {
      if (idx >= n) break;
      if (!fut.done()) {
        idx += 1;
        fut.set_result(false);
      }
    }
  }

  /** Wake up all waiting tasks. RuntimeError if the lock is not held. */
  notify_all(): void {
    this.notify(this._waiters.length);
  }
}
_lazyCoroutine(Condition.prototype._co_wait, "Condition.wait");
_lazyCoroutine(Condition.prototype._co_wait_for, "Condition.wait_for");

/**
 * A semaphore (asyncio.Semaphore): a counter decremented by acquire() and incremented by
 * release(); acquire() waits while it is zero. `new Semaphore(2)` or `new Semaphore({ value: 2 })`;
 * a negative value raises ValueError.
 *
 * @example
 * ```ts
 * const sem = new asyncio.Semaphore(2); // at most two jobs at a time
 * const job = asyncio.coroutine(async (n: number) => asyncio.asyncWith(sem, () => asyncio.sleep(0.1, n)));
 * console.log(await asyncio.gather(job(1), job(2), job(3))); // [1, 2, 3] after 0.2 s
 * ```
 */
export class Semaphore extends _ContextManagerMixin {
  _waiters: Future<boolean>[] | null = null;
  _value: number;

  constructor(value: number | { value?: number } = 1) {
    super();
    if (isPlainObject(value)) value = (value as { value?: number }).value ?? 1;
    if ((value as number) < 0) throw new ValueError("Semaphore initial value must be >= 0");
    this._value = value as number;
  }

  override toString(): string {
    let extra = this.locked() ? "locked" : `unlocked, value:${this._value}`;
    if (this._waiters?.length) extra = `${extra}, waiters:${this._waiters.length}`;
    return _repr(this, extra);
  }

  /** True if the semaphore cannot be acquired immediately. */
  locked(): boolean {
    if (this._value === 0) return true;
    const w = this._waiters;
    if (w !== null) for (let i = 0; i < w.length; i++) if (!w[i].cancelled()) return true;
    return false;
  }

  /** Decrement the counter, waiting while it is zero; resolves to true. */
  acquire(): Coro<boolean> {
    return this._co_acquire() as Coro<boolean>;
  }
  *_co_acquire(): Generator<unknown, boolean, unknown> {
    if (!this.locked()) {
      this._value -= 1;
      return true;
    }
    this._waiters ??= [];
    const fut = this._get_loop().create_future<boolean>();
    this._waiters.push(fut);
    // The finally runs before the CancelledError handling, so that a cancelled waiter
    // does not wake up itself.
    try {
      try {
        yield* fut;
      } finally {
        _remove(this._waiters, fut);
      }
    } catch (exc) {
      if (exc instanceof CancelledError && !fut.cancelled()) {
        // Woken, then cancelled before it ran: give the unit back and pass it on.
        this._value += 1;
        this._wake_up_next();
      }
      throw exc;
    }
    if (this._value > 0) this._wake_up_next();
    return true;
  }

  /** Increment the counter and wake up the first waiter, if any. */
  release(): void {
    this._value += 1;
    this._wake_up_next();
  }

  /** Wake up the first waiter that isn't done. */
  _wake_up_next(): void {
    const w = this._waiters;
    if (!w || w.length === 0) return;
    for (let i = 0; i < w.length; i++) {
      const fut = w[i];
      if (!fut.done()) {
        this._value -= 1;
        fut.set_result(true);
        return;
      }
    }
  }
}
_lazyCoroutine(Semaphore.prototype._co_acquire, "Semaphore.acquire");

/**
 * A Semaphore whose release() raises ValueError if it would exceed the initial value
 * (asyncio.BoundedSemaphore): `new BoundedSemaphore(1).release()` throws
 * `ValueError: BoundedSemaphore released too many times`.
 */
export class BoundedSemaphore extends Semaphore {
  _bound_value: number;

  constructor(value: number | { value?: number } = 1) {
    super(value);
    this._bound_value = this._value;
  }

  override release(): void {
    if (this._value >= this._bound_value) throw new ValueError("BoundedSemaphore released too many times");
    super.release();
  }
}

/** locks._BarrierState */
enum _BarrierState {
  FILLING = "filling",
  DRAINING = "draining",
  RESETTING = "resetting",
  BROKEN = "broken",
}

/**
 * Asyncio equivalent to threading.Barrier (asyncio.Barrier): `parties` tasks block in wait()
 * until the last arrives, then all go on. wait() resolves to an index from 0 to parties-1;
 * abort() and reset() make waiting tasks raise BrokenBarrierError.
 *
 * As an async context manager it enters with wait() and its value is the index, as
 * `async with barrier as i:`; the exit does nothing (`await using b = await asyncEnter(barrier)`
 * then has the index as `b.value`).
 *
 * @example
 * ```ts
 * const barrier = new asyncio.Barrier(3);
 * const worker = asyncio.coroutine(async (n: number) => {
 *   const i = await barrier.wait(); // the three pass together
 *   console.log(n, "passed as", i);
 * });
 * await asyncio.gather(worker(0), worker(1), worker(2));
 * ```
 */
export class Barrier extends _LoopBoundMixin {
  _cond = new Condition(); // notify all tasks when state changes
  _parties: number;
  _state = _BarrierState.FILLING;
  _count = 0; // count tasks in Barrier

  /** Create a barrier for `parties` tasks (`new Barrier(3)` or `new Barrier({ parties: 3 })`). */
  constructor(parties: number | { parties: number }) {
    super();
    if (isPlainObject(parties)) parties = (parties as { parties: number }).parties;
    if (!((parties as number) >= 1)) throw new ValueError("parties must be > 0");
    this._parties = parties as number;
  }

  override toString(): string {
    let extra = `${this._state}`;
    if (!this.broken) extra += `, waiters:${this.n_waiting}/${this.parties}`;
    return _repr(this, extra);
  }

  /** `async with barrier as i:` — waits; the value is wait()'s index. */
  __aenter__(): Coro<number> {
    return this._co_wait() as Coro<number>;
  }

  /** Does nothing (`async with barrier` has nothing to undo). */
  __aexit__(..._args: unknown[]): Coro<null> {
    return this._co_aexit() as Coro<null>;
  }
  *_co_aexit(): Generator<unknown, null, unknown> {
    return null;
  }

  /**
   * Wait for the barrier: when `parties` tasks are waiting, all are awoken. Resolves to a
   * unique index from 0 to parties-1; BrokenBarrierError if the barrier is broken or reset.
   */
  wait(): Coro<number> {
    return this._co_wait() as Coro<number>;
  }
  *_co_wait(): Generator<unknown, number, unknown> {
    yield* this._cond._co_aenter(); // async with self._cond:
    try {
      yield* this._block(); // Block while the barrier drains or resets.
      try {
        const index = this._count;
        this._count += 1;
        if (index + 1 === this._parties) this._release(); // We release the barrier
        else yield* this._wait();
        return index;
      } finally {
        this._count -= 1;
        // Wake up any tasks waiting for barrier to drain.
        this._exit();
      }
    } finally {
      this._cond.release();
    }
  }

  /** Block until the barrier is ready for us, or raise if it is broken. */
  *_block(): Generator<unknown, void, unknown> {
    // It is draining or resetting: wait until done, unless a CancelledError occurs.
    yield* this._cond._co_wait_for(() => this._state !== _BarrierState.DRAINING && this._state !== _BarrierState.RESETTING);
    // see if the barrier is in a broken state
    if (this._state === _BarrierState.BROKEN) throw new BrokenBarrierError("Barrier aborted");
  }

  /** Release the waiting tasks: enter draining; later arrivals block until it ends. */
  _release(): void {
    this._state = _BarrierState.DRAINING;
    this._cond.notify_all();
  }

  /** Wait until released; raise if the barrier is reset or broken meanwhile. */
  *_wait(): Generator<unknown, void, unknown> {
    // wait for end of filling, unless a CancelledError occurs
    yield* this._cond._co_wait_for(() => this._state !== _BarrierState.FILLING);
    if (this._state === _BarrierState.BROKEN || this._state === _BarrierState.RESETTING) {
      throw new BrokenBarrierError("Abort or reset of barrier");
    }
  }

  /** The last task out of the barrier signals those waiting for it to drain. */
  _exit(): void {
    if (this._count === 0) {
      if (this._state === _BarrierState.RESETTING || this._state === _BarrierState.DRAINING) {
        this._state = _BarrierState.FILLING;
      }
      this._cond.notify_all();
    }
  }

  /** Reset the barrier to the initial state; tasks waiting get BrokenBarrierError. */
  reset(): Coro<null> {
    return this._co_reset() as Coro<null>;
  }
  *_co_reset(): Generator<unknown, null, unknown> {
    yield* this._cond._co_aenter();
    try {
      if (this._count > 0) {
        if (this._state !== _BarrierState.RESETTING) this._state = _BarrierState.RESETTING; // waking up tasks
      } else {
        this._state = _BarrierState.FILLING;
      }
      this._cond.notify_all();
    } finally {
      this._cond.release();
    }
    return null;
  }

  /** Break the barrier: waiting and later wait() calls raise BrokenBarrierError. */
  abort(): Coro<null> {
    return this._co_abort() as Coro<null>;
  }
  *_co_abort(): Generator<unknown, null, unknown> {
    yield* this._cond._co_aenter();
    try {
      this._state = _BarrierState.BROKEN;
      this._cond.notify_all();
    } finally {
      this._cond.release();
    }
    return null;
  }

  /** The number of tasks required to trip the barrier. */
  get parties(): number {
    return this._parties;
  }

  /** The number of tasks currently waiting at the barrier. */
  get n_waiting(): number {
    return this._state === _BarrierState.FILLING ? this._count : 0;
  }

  /** True if the barrier is in a broken state. */
  get broken(): boolean {
    return this._state === _BarrierState.BROKEN;
  }
}
_lazyCoroutine(Barrier.prototype._co_aexit, "Barrier.__aexit__");
_lazyCoroutine(Barrier.prototype._co_wait, "Barrier.wait");
_lazyCoroutine(Barrier.prototype._co_reset, "Barrier.reset");
_lazyCoroutine(Barrier.prototype._co_abort, "Barrier.abort");
