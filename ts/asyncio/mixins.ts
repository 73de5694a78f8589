/**
 * Event loop mixins (mixins.py): _LoopBoundMixin, plus what locks.ts and queues.ts share —
 * lazy coroutine methods, the waiter lists and CPython-like reprs.
 */
import { _get_running_loop } from "./events.js";
import { RuntimeError } from "./exceptions.js";
import { _awaitCoroutine } from "./coroutines.js";
import type { BaseEventLoop } from "./base_events.js";

/**
 * Binds an object to the first running loop that uses it (mixins._LoopBoundMixin): using it
 * later from another loop raises RuntimeError, as in CPython.
 */
export class _LoopBoundMixin {
  _loop: BaseEventLoop | null = null;

  _get_loop(): BaseEventLoop {
    const loop = _get_running_loop();
    if (this._loop === null) this._loop = loop;
    if (loop !== this._loop) {
      const e = new RuntimeError(`${_reprOf(this)} is bound to a different event loop`);
      e.add_note(BOUND_NOTE);
      throw e;
    }
    return loop as BaseEventLoop;
  }
}

const BOUND_NOTE =
  "(tulip) A lock, event, condition, semaphore, barrier or queue belongs to the first loop that used it: " +
  "make a new one for each asyncio.run (inside main, or passed to it).";

/** Python's repr(): `__repr__()` where a class has one (Queue), else `toString()`. */
function _reprOf(obj: object): string {
  const r = (obj as { __repr__?: () => string }).__repr__;
  return typeof r === "function" ? r.call(obj) : String(obj);
}

/**
 * A lazy coroutine: what an `async def` method of locks.py / queues.py returns. It is a
 * generator (so the core takes it wherever a coroutine goes: `create_task`, `wait_for`,
 * `gather`, and generator coroutines `yield*` it as Python's `yield from`) that is also
 * thenable (so `await lock.acquire()` in an async function runs it inline, as Python's
 * `await` of a coroutine does). Nothing runs until it is awaited or stepped by a task.
 */
export type Coro<T> = Generator<unknown, T, unknown> & PromiseLike<T>;

/**
 * Makes the generator objects of `genFn` lazy coroutines named `qualname`. Why a patched
 * generator prototype and not the core's CoroutineObject: the latter costs a closure, an
 * object and a FinalizationRegistry entry per call, which made `await lock.acquire()` 6x
 * slower; a generator is the cheapest lazy body there is. Awaiting goes through the core's
 * own inline-await hook (`_awaitCoroutine`), which only needs `_start()` to give the body.
 */
export function _lazyCoroutine(genFn: (...args: any[]) => Generator, qualname: string): void {
  const proto = genFn.prototype as Record<string | symbol, unknown>;
  Object.defineProperties(proto, {
    then: {
      value: function (this: Generator, onRes?: ((v: unknown) => unknown) | null, onRej?: ((e: unknown) => unknown) | null): undefined {
        _awaitCoroutine!(this as never, onRes ?? ((v) => v), onRej ?? _rethrow);
        return undefined;
      },
    },
    _start: {
      // What the core's await hook calls to get the body: once only, as in Python.
      value: function (this: Generator & { [AWAITED]?: true }) {
        if (this[AWAITED]) throw new RuntimeError("cannot reuse already awaited coroutine");
        this[AWAITED] = true;
        return this;
      },
    },
    __name__: { value: qualname.slice(qualname.lastIndexOf(".") + 1) },
    __qualname__: { value: qualname },
    toString: { value: () => `<coroutine object ${qualname}>` },
  });
}

const AWAITED = Symbol("awaited");

function _rethrow(e: unknown): never {
  throw e;
}

/**
 * Python's `deque.remove(x)` on a waiter list: the first occurrence, ValueError-free (callers
 * that may miss check the result). The waiter woken is nearly always the first, hence the
 * fast path.
 */
export function _remove<T>(waiters: T[], x: T): boolean {
  if (waiters.length > 0 && waiters[0] === x) {
    waiters.shift();
    return true;
  }
  const i = waiters.indexOf(x);
  if (i < 0) return false;
  waiters.splice(i, 1);
  return true;
}

const ids = new WeakMap<object, number>();
let nextId = 0;

/**
 * A stable identity for reprs in place of CPython's `id()` address: `0x` and a serial number
 * given on first use, so two objects never share one and one object keeps its own.
 */
export function _id(obj: object): string {
  let id = ids.get(obj);
  if (id === undefined) ids.set(obj, (id = ++nextId));
  return `0x${id.toString(16)}`;
}
