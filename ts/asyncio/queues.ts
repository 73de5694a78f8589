/**
 * Queues (queues.py): Queue, PriorityQueue, LifoQueue — CPython 3.11's algorithms, so that
 * put/get waiters wake and hand over wake-ups exactly as in CPython. QueueEmpty and QueueFull
 * are defined in exceptions.ts and re-exported here, as asyncio.queues exports them.
 */
import { QueueEmpty, QueueFull, ValueError } from "./exceptions.js";
import { repr } from "./format_helpers.js";
import type { Future } from "./futures.js";
import { Deque } from "./_deque.js";
import { heappop, heappush, type Less } from "./_heapq.js";
import { isPlainObject } from "./_options.js";
import { Event } from "./locks.js";
import { Coro, _LoopBoundMixin, _id, _lazyCoroutine, _remove } from "./mixins.js";

export { QueueEmpty, QueueFull };
export const __all__ = ["Queue", "PriorityQueue", "LifoQueue", "QueueFull", "QueueEmpty"] as const;

/** Reads Python's `Queue(maxsize=0)`: `new Queue(2)` or `new Queue({ maxsize: 2 })`. */
function _maxsize(arg: unknown): number {
  if (isPlainObject(arg)) return (arg.maxsize as number | undefined) ?? 0;
  return (arg as number | undefined) ?? 0;
}

/**
 * A queue for coordinating producer and consumer tasks (asyncio.Queue). If maxsize is less
 * than or equal to zero the size is infinite; otherwise `put()` waits while the queue holds
 * maxsize items. `join()` waits until `task_done()` was called for every item put.
 *
 * @example
 * ```ts
 * const q = new asyncio.Queue<number>({ maxsize: 2 });
 * await q.put(1);
 * const item = await q.get();
 * q.task_done();
 * ```
 */
export class Queue<T = unknown> extends _LoopBoundMixin {
  _maxsize: number;
  /** Futures of get() calls waiting for an item. */
  _getters: Future<null>[] = [];
  /** Futures of put() calls waiting for a free slot. */
  _putters: Future<null>[] = [];
  _unfinished_tasks = 0;
  _finished = new Event();
  /** The items (a deque here; a list in PriorityQueue and LifoQueue). */
  declare _queue: Deque<T> | T[];

  constructor(maxsize: number | { maxsize?: number } = 0) {
    super();
    this._maxsize = _maxsize(maxsize);
    this._finished.set();
    this._init(this._maxsize);
  }

  // These three are overridable in subclasses.

  _init(_maxsize: number): void {
    this._queue = new Deque<T>();
  }

  _get(): T {
    return (this._queue as Deque<T>).shift() as T;
  }

  _put(item: T): void {
    (this._queue as Deque<T>).push(item);
  }

  // End of the overridable methods.

  /** Wake up the next waiter (if any) that isn't cancelled. */
  _wakeup_next(waiters: Future<null>[]): void {
    while (waiters.length > 0) {
      const waiter = waiters.shift()!;
      if (!waiter.done()) {
        waiter.set_result(null);
        break;
      }
    }
  }

  /** Python's repr(): `<Queue at 0x… maxsize=0 _queue=[1, 2] tasks=2>`. */
  __repr__(): string {
    return `<${this.constructor.name} at ${_id(this)} ${this._format()}>`;
  }

  /** Python's str(): `<Queue maxsize=0 _queue=[1, 2] tasks=2>`. */
  override toString(): string {
    return `<${this.constructor.name} ${this._format()}>`;
  }

  _format(): string {
    let result = `maxsize=${repr(this._maxsize)}`;
    if (this._queue?.length) {
      const items = Array.isArray(this._queue) ? this._queue : this._queue.toArray();
      result += ` _queue=${repr(items)}`;
    }
    if (this._getters.length) result += ` _getters[${this._getters.length}]`;
    if (this._putters.length) result += ` _putters[${this._putters.length}]`;
    if (this._unfinished_tasks) result += ` tasks=${this._unfinished_tasks}`;
    return result;
  }

  /** Number of items in the queue. */
  qsize(): number {
    return this._queue.length;
  }

  /** Number of items allowed in the queue (0 or less: unbounded). */
  get maxsize(): number {
    return this._maxsize;
  }

  /** True if the queue is empty. */
  empty(): boolean {
    return this._queue.length === 0;
  }

  /** True if there are maxsize items in the queue (never, for maxsize <= 0). */
  full(): boolean {
    if (this._maxsize <= 0) return false;
    return this.qsize() >= this._maxsize;
  }

  /** Put an item into the queue, waiting while it is full. */
  put(item: T): Coro<null> {
    return this._co_put(item) as Coro<null>;
  }
  *_co_put(item: T): Generator<unknown, null, unknown> {
    while (this.full()) {
      const putter = this._get_loop().create_future<null>();
      this._putters.push(putter);
      try {
        yield* putter;
      } catch (exc) {
        putter.cancel(); // Just in case putter is not done yet.
        // Clean self._putters from canceled putters; a previous get_nowait may have removed it.
        _remove(this._putters, putter);
        if (!this.full() && !putter.cancelled()) {
          // We were woken up by get_nowait(), but can't take the call. Wake up the next in line.
          this._wakeup_next(this._putters);
        }
        throw exc;
      }
    }
    this.put_nowait(item);
    return null;
  }

  /** Put an item without blocking; QueueFull if no free slot is available. */
  put_nowait(item: T): void {
    if (this.full()) throw new QueueFull();
    this._put(item);
    this._unfinished_tasks += 1;
    this._finished.clear();
    this._wakeup_next(this._getters);
  }

  /** Remove and return an item, waiting while the queue is empty. */
  get(): Coro<T> {
    return this._co_get() as Coro<T>;
  }
  *_co_get(): Generator<unknown, T, unknown> {
    while (this.empty()) {
      const getter = this._get_loop().create_future<null>();
      this._getters.push(getter);
      try {
        yield* getter;
      } catch (exc) {
        getter.cancel(); // Just in case getter is not done yet.
        // Clean self._getters from canceled getters; a previous put_nowait may have removed it.
        _remove(this._getters, getter);
        if (!this.empty() && !getter.cancelled()) {
          // We were woken up by put_nowait(), but can't take the call. Wake up the next in line.
          this._wakeup_next(this._getters);
        }
        throw exc;
      }
    }
    return this.get_nowait();
  }

  /** Remove and return an item if one is immediately available, else raise QueueEmpty. */
  get_nowait(): T {
    if (this.empty()) throw new QueueEmpty();
    const item = this._get();
    this._wakeup_next(this._putters);
    return item;
  }

  /**
   * Indicate that a formerly enqueued item is processed; join() resumes when every item put
   * has had its task_done(). ValueError if called more times than there were items.
   */
  task_done(): void {
    if (this._unfinished_tasks <= 0) throw new ValueError("task_done() called too many times");
    this._unfinished_tasks -= 1;
    if (this._unfinished_tasks === 0) this._finished.set();
  }

  /** Block until all items in the queue have been gotten and processed (task_done()). */
  join(): Coro<null> {
    return this._co_join() as Coro<null>;
  }
  *_co_join(): Generator<unknown, null, unknown> {
    if (this._unfinished_tasks > 0) yield* this._finished._co_wait();
    return null;
  }
}
_lazyCoroutine(Queue.prototype._co_put, "Queue.put");
_lazyCoroutine(Queue.prototype._co_get, "Queue.get");
_lazyCoroutine(Queue.prototype._co_join, "Queue.join");

/**
 * A Queue that retrieves entries in priority order, lowest first (asyncio.PriorityQueue).
 *
 * Entries are ordered by Python's `<` (see {@link _py_lt}): numbers (and bigints, booleans)
 * numerically, strings by code point, arrays (Python's tuples) element by element, Uint8Arrays
 * byte by byte, objects by their `__lt__(other)` method; anything else raises TypeError, as in
 * Python. Typical entries are `[priority, data]`. Entries that compare equal come out in
 * exactly the order CPython's heapq gives them (not first in, first out). Pass `{ compare }`
 * (`(a, b) => number`, negative when a comes first) to order entries yourself:
 * `new PriorityQueue({ maxsize: 10, compare: (a, b) => a.deadline - b.deadline })`.
 *
 * @example
 * ```ts
 * const q = new asyncio.PriorityQueue<[number, string]>();
 * q.put_nowait([2, "later"]);
 * q.put_nowait([1, "first"]);
 * q.get_nowait(); // [1, "first"]
 * ```
 */
export class PriorityQueue<T = unknown> extends Queue<T> {
  declare _queue: T[];
  /** Python's `a < b` for entries, or the order given by `compare`. */
  _lt: Less<T>;

  constructor(maxsize: number | { maxsize?: number; compare?: ((a: T, b: T) => number) | null } = 0, options: { compare?: ((a: T, b: T) => number) | null } = {}) {
    super(_maxsize(maxsize));
    const compare = (isPlainObject(maxsize) ? maxsize.compare : null) ?? options.compare ?? null;
    this._lt = compare === null ? _py_lt : (a, b) => compare(a, b) < 0;
  }

  override _init(_maxsize: number): void {
    this._queue = [];
  }

  override _put(item: T): void {
    heappush(this._queue, item, this._lt);
  }

  override _get(): T {
    return heappop(this._queue, this._lt);
  }
}

/**
 * A Queue that retrieves the most recently added entries first (asyncio.LifoQueue).
 *
 * @example
 * ```ts
 * const q = new asyncio.LifoQueue<number>();
 * q.put_nowait(1);
 * q.put_nowait(2);
 * q.get_nowait(); // 2
 * ```
 */
export class LifoQueue<T = unknown> extends Queue<T> {
  declare _queue: T[];

  override _init(_maxsize: number): void {
    this._queue = [];
  }

  override _put(item: T): void {
    this._queue.push(item);
  }

  override _get(): T {
    return this._queue.pop() as T;
  }
}

// ---- Python's `<` and `==`, as heapq applies them to PriorityQueue entries ----

const isNum = (x: unknown): boolean => typeof x === "number" || typeof x === "bigint" || typeof x === "boolean";

/**
 * Python's `a < b` for the values PriorityQueue entries are made of: numbers, bigints and
 * booleans (one numeric tower, as int/float/bool), strings (by code point, as Python's str;
 * JavaScript's `<` compares UTF-16 units), arrays (tuples: the first unequal elements decide,
 * else the shorter is smaller), Uint8Arrays (bytes), Dates, and objects with `__lt__`.
 * Other pairs raise TypeError with Python's message.
 */
export function _py_lt(a: unknown, b: unknown): boolean {
  if (isNum(a) && isNum(b)) return (a as number) < (b as number);
  if (typeof a === "string" && typeof b === "string") return _str_lt(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return _seq_lt(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return _seq_lt(a, b);
  if (a instanceof Date && b instanceof Date) return a.getTime() < b.getTime();
  if (a !== null && typeof a === "object" && typeof (a as { __lt__?: unknown }).__lt__ === "function") {
    return Boolean((a as { __lt__(o: unknown): unknown }).__lt__(b));
  }
  if (b !== null && typeof b === "object" && typeof (b as { __gt__?: unknown }).__gt__ === "function") {
    return Boolean((b as { __gt__(o: unknown): unknown }).__gt__(a)); // the reflected operation
  }
  throw new TypeError(`'<' not supported between instances of '${_pyTypeName(a)}' and '${_pyTypeName(b)}'`);
}

/** Tuple comparison: the first elements that are not equal decide; else the lengths. */
function _seq_lt(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (!_py_eq(a[i], b[i])) return _py_lt(a[i], b[i]);
  }
  return a.length < b.length;
}

/** Python's `a is b or a == b` as tuple comparison uses it. */
function _py_eq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNum(a) && isNum(b)) return a == b; // loose on purpose: 1 == 1n == true, as in Python
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => _py_eq(x, b[i]));
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a !== null && typeof a === "object" && typeof (a as { __eq__?: unknown }).__eq__ === "function") {
    return Boolean((a as { __eq__(o: unknown): unknown }).__eq__(b));
  }
  return false;
}

/** Code point order: UTF-16 unit order except between surrogates and units from U+E000 on. */
function _str_lt(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca !== cb) {
      if (ca >= 0xd800 && cb >= 0xd800) {
        // Move surrogates above U+FFFF: a pair encodes a code point beyond the BMP.
        ca = ca >= 0xe000 ? ca - 0x800 : ca + 0x2000;
        cb = cb >= 0xe000 ? cb - 0x800 : cb + 0x2000;
      }
      return ca < cb;
    }
  }
  return a.length < b.length;
}

function _pyTypeName(x: unknown): string {
  if (x === null || x === undefined) return "NoneType";
  if (typeof x === "number") return Number.isInteger(x) ? "int" : "float";
  if (typeof x === "bigint") return "int";
  if (typeof x === "boolean") return "bool";
  if (typeof x === "string") return "str";
  if (Array.isArray(x)) return "tuple";
  if (x instanceof Uint8Array) return "bytes";
  if (typeof x === "function") return "function";
  return (x as object).constructor?.name ?? "object";
}
