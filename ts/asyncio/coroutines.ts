/**
 * Coroutines: the three forms tulip runs as asyncio coroutines (coroutines.py).
 *
 * 1. async functions — run at once up to their first `await` when called (an eager start,
 *    as 3.12's eager task factory); accepted everywhere.
 * 2. lazy coroutine objects made by `coroutine(fn)` (asyncio's 2014 decorator): calling the
 *    decorated function runs nothing until a task steps the object or it is awaited, as a
 *    Python coroutine; exact CPython order.
 * 3. generator functions (`function*`, `yield*` as `yield from`): coroutines with `send`,
 *    `throw` and `close`; Futures, Tasks and coroutine objects are iterable, so `yield*`
 *    works on any of them.
 *
 * Wherever a coroutine is taken, a zero-argument function is taken too, as a lazy coroutine:
 * `create_task(() => worker(n))`.
 */
import { RuntimeError, StopIteration } from "./exceptions.js";
import { callableName } from "./format_helpers.js";
import { _get_running_loop } from "./events.js";

export const __all__ = ["iscoroutinefunction", "iscoroutine", "coroutine"] as const;

// ---- the types that carry a coroutine's result ----

/**
 * A coroutine object whose result is `T`, in the forms tulip runs: a lazy coroutine object
 * (`coroutine(fn)(…)`, a compiled async function's call), a Promise (a plain async function's
 * call), a generator coroutine (`function*`), or a lock's or queue's method (`q.get()`).
 * What `create_task`, `Task`, `run` and `Runner.run` take (with {@link LazyCoroutine}).
 */
export type Coroutine<T> = CoroutineObject<T> | Promise<T> | Generator<unknown, T, any>;
/** Any object with a `then` method whose value is `T`, as JavaScript's `await` takes it. */
export interface Thenable<T> {
  then: (onfulfilled: (value: T) => any, onrejected: (reason: any) => any) => any;
}
/** Anything `await` (or `yield*`) takes whose result is `T`: a coroutine, a Future or Task, any thenable. */
export type Awaitable<T> = Thenable<T> | Generator<unknown, T, any>;
/** A zero-argument function that makes the coroutine when called: `create_task(() => worker(n))`. */
export type LazyCoroutine<T> = () => Awaitable<T>;
/** What takes a coroutine takes: one, or a zero-argument function that makes it. */
export type CoroutineLike<T> = Coroutine<T> | LazyCoroutine<T>;
/** What takes an awaitable takes (`ensure_future`, `gather`, `wait_for`, `shield`, …): one, or a zero-argument function that makes it. */
export type AwaitableLike<T> = Awaitable<T> | LazyCoroutine<T>;
/**
 * The result type of a {@link CoroutineLike} or {@link AwaitableLike}: `ResultOf<Promise<number>>`
 * and `ResultOf<() => CoroutineObject<number>>` are `number`.
 */
export type ResultOf<A> = A extends () => infer R ? _AwaitedResult<R> : _AwaitedResult<A>;
type _AwaitedResult<A> = A extends Thenable<unknown> ? Awaited<A> : A extends Generator<unknown, infer T, any> ? T : never;

const IS_COROUTINE = Symbol.for("tulip.is_coroutine");

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor;
const GeneratorProto = Object.getPrototypeOf(Object.getPrototypeOf((function* () {})()));
/** @internal "No exception" where a step takes an exception or none (the task's steps, AwaitsDriver). */
export const _NOEXC: unique symbol = Symbol("NOEXC");

export function _isGenerator(x: unknown): x is Generator {
  return x !== null && typeof x === "object" && Object.getPrototypeOf(Object.getPrototypeOf(x)) === GeneratorProto;
}

/** Future-like (asyncio.isfuture): has `_asyncio_future_blocking` set to a boolean. */
export function _isFuture(x: unknown): boolean {
  return x !== null && typeof x === "object" && typeof (x as { _asyncio_future_blocking?: unknown })._asyncio_future_blocking === "boolean";
}

export function _isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === "object" || typeof x === "function") && typeof (x as { then?: unknown }).then === "function";
}

/**
 * How a task or an `await` runs a coroutine object: `_start` calls its function once and gives
 * the generator or promise it made. Set by tasks.ts (it knows the running task).
 */
export let _awaitCoroutine: ((coro: CoroutineObject<unknown>, onRes: (v: any) => unknown, onRej: (e: unknown) => unknown) => void) | null = null;
/** @internal */
export function _setAwaitCoroutine(f: typeof _awaitCoroutine): void {
  _awaitCoroutine = f;
}

/**
 * Called with each new compiled coroutine (set by tasks.ts): one made outside every task while
 * a loop runs was called by Node (an `http` handler, an event listener), and if nothing takes
 * it in that job it must still run, as a plain async function would.
 */
export let _orphanHook: ((coro: CoroutineObject<unknown>) => void) | null = null;
/** @internal */
export function _setOrphanHook(f: typeof _orphanHook): void {
  _orphanHook = f;
}

/**
 * "coroutine '…' was never awaited", cheaply: new coroutine objects wait in a young list; a
 * sweep registers a finalizer only for those that nothing has started or taken (a task, an
 * await) by then, so most never pay for one. The sweep runs one macrotask turn later, or
 * sooner when the list is full: tulip's loop runs many iterations in microtasks before Node
 * gets a turn, and a list held that long keeps every coroutine of those iterations alive
 * past the young generation's collections (at 1000 tasks, 31,000 sleep() coroutines were
 * held, promoted and collected by mark-compacts: a third of the step rate).
 */
let neverAwaited: FinalizationRegistry<string> | null = null;
/** What Node prints under CPython's warning: the fix, in one sentence. */
export const NEVER_AWAITED_DETAIL =
  "(tulip) Calling a coroutine function only makes the coroutine: await it, or pass it to asyncio.create_task() to run it beside the caller.";
const YOUNG_MAX = 1024;
// One array for the life of the process, emptied in place: a fresh one per sweep cost a
// sleep(0) step ~23 bytes of array growth.
const young: (CoroutineObject<unknown> | undefined)[] = new Array(YOUNG_MAX).fill(undefined);
let youngCount = 0;
let sweepPending = false;

function noteYoung(c: CoroutineObject<unknown>): void {
  young[youngCount++] = c;
  if (youngCount >= YOUNG_MAX) sweepYoung();
  else if (!sweepPending) {
    sweepPending = true;
    setImmediate(sweepLater).unref();
  }
}

function sweepLater(): void {
  sweepPending = false;
  sweepYoung();
}

function sweepYoung(): void {
  const n = youngCount;
  youngCount = 0;
  for (let i = 0; i < n; i++) {
    const c = young[i]!;
    young[i] = undefined;
    if (!c._started && !c._claimed) {
      (neverAwaited ??= new FinalizationRegistry((name) => {
        process.emitWarning(`coroutine '${name}' was never awaited`, { type: "RuntimeWarning", detail: NEVER_AWAITED_DETAIL });
      })).register(c, c.__name__, c);
    }
  }
}

/**
 * A lazy coroutine object: nothing runs until it is stepped by a task or awaited. Thenable
 * (so async functions can `await` it, inline, as Python's `await coro()`), and iterable (so
 * generator coroutines can `yield*` it).
 */
export class CoroutineObject<T = unknown> implements PromiseLike<T> {
  readonly __name__: string;
  readonly __qualname__: string;
  protected _fn: (() => unknown) | null;
  protected _body: Generator | Promise<unknown> | null = null;
  /** Set while a generator body is being driven, so `cr_running` can tell. */
  cr_running = false;
  /** A task took it, or code awaits it: it is not an orphan (see _orphanHook). */
  _claimed = false;

  constructor(fn: () => unknown, name: string) {
    this._fn = fn;
    this.__name__ = this.__qualname__ = name;
    noteYoung(this);
  }

  /** Starts the body (once): the generator or the promise the function returned. */
  _start(): Generator | Promise<unknown> {
    if (this._fn === null) throw new RuntimeError("cannot reuse already awaited coroutine");
    const fn = this._fn;
    this._fn = null;
    neverAwaited?.unregister(this);
    let body = this._makeBody(fn);
    if (body instanceof CoroutineObject) body = body._start();
    else if (!_isGenerator(body) && !(body instanceof Promise)) body = Promise.resolve(body);
    this._body = body as Generator | Promise<unknown>;
    return this._body;
  }

  /** Calls the function (a subclass may keep what it needs in fields instead of a closure). */
  protected _makeBody(fn: () => unknown): unknown {
    return fn();
  }

  /** Whether the body has been started (Python: the coroutine is no longer in CORO_CREATED). */
  get _started(): boolean {
    return this._fn === null;
  }

  then<R1 = T, R2 = never>(onRes?: ((v: T) => R1 | PromiseLike<R1>) | null, onRej?: ((e: any) => R2 | PromiseLike<R2>) | null): any {
    this._claimed = true;
    _awaitCoroutine!(this as CoroutineObject<unknown>, onRes ?? ((v) => v), onRej ?? ((e) => { throw e; }));
    return undefined;
  }

  /** For code written against Promises (`f().catch(…)`): awaits the coroutine as a Promise would. */
  catch<R = never>(onRej?: ((e: any) => R | PromiseLike<R>) | null): Promise<T | R> {
    return Promise.resolve(this).catch(onRej);
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return Promise.resolve(this).finally(onFinally);
  }

  /**
   * `yield* coro`: Python's `await coro`, which delegates to the coroutine itself. The body
   * generator is returned as it is, not wrapped in a generator of our own: a suspended await
   * then holds no extra generator (about 180 bytes per pending task).
   */
  [Symbol.iterator](): Generator<unknown, T, unknown> {
    this._claimed = true;
    const body = this._start();
    return (body instanceof Promise ? _awaitPromise(body) : body) as Generator<unknown, T, unknown>;
  }

  /** Python's `coro.send(value)`: steps a generator body; raises StopIteration(value) when it returns. */
  send(value: unknown): unknown {
    const gen = this._genBody("send");
    const r = gen.next(value);
    if (r.done) throw new StopIteration(r.value);
    return r.value;
  }

  /** Python's `coro.throw(exc)`. */
  throw(exc: unknown): unknown {
    const gen = this._genBody("throw");
    const r = gen.throw(exc);
    if (r.done) throw new StopIteration(r.value);
    return r.value;
  }

  /** Python's `coro.close()`: runs the body's `finally` blocks. */
  close(): void {
    if (this._fn !== null) {
      this._fn = null;
      neverAwaited?.unregister(this);
      return;
    }
    if (_isGenerator(this._body)) this._body.return(undefined);
  }

  private _genBody(op: string): Generator {
    const body = this._body ?? this._start();
    if (!_isGenerator(body)) {
      throw new RuntimeError(`${op}() needs a generator coroutine: '${this.__name__}' is an async function, which only its own awaits can drive`);
    }
    return body;
  }

  toString(): string {
    return `<coroutine object ${this.__qualname__}>`;
  }
}

/** The body of a _YieldOnce: a generator's protocol (and prototype chain, so _isGenerator holds), one state field. */
class YieldOnceBody<T> {
  private _state = 0; // 0: not started, 1: at its bare yield, 2: finished
  constructor(private readonly _result: T) {}
  next(): IteratorResult<undefined, T> {
    if (this._state === 0) {
      this._state = 1;
      return BARE_YIELD;
    }
    if (this._state === 1) {
      this._state = 2;
      return this._result === null ? (RETURNED_NONE as IteratorResult<undefined, T>) : { value: this._result, done: true };
    }
    return FINISHED as IteratorResult<undefined, T>;
  }
  throw(e: unknown): never {
    // Thrown in before the start, at the yield, or after the end: a generator without
    // try/finally raises it in every state, and is finished.
    this._state = 2;
    throw e;
  }
  return(value: T): IteratorResult<undefined, T> {
    this._state = 2;
    return { value, done: true };
  }
}
Object.setPrototypeOf(YieldOnceBody.prototype, GeneratorProto);
const BARE_YIELD: IteratorResult<undefined, never> = Object.freeze({ value: undefined, done: false });
const FINISHED: IteratorResult<undefined, undefined> = Object.freeze({ value: undefined, done: true });
const RETURNED_NONE: IteratorResult<undefined, null> = Object.freeze({ value: null, done: true });
/** The `fn` of a coroutine whose subclass makes its body itself (_makeBody): never called. */
const NOT_STARTED = (): never => {
  throw new Error("unreachable: this coroutine makes its own body");
};

/**
 * @internal A coroutine whose body yields once, bare, then returns `result`: what
 * `asyncio.sleep(0)` is (`yield* __sleep0(); return result`), made without the two generators
 * and the closure a `coroutine()` call costs (about 800 of the ~970 bytes a sleep(0) step
 * allocated). It behaves as that generator body does under next/throw/return.
 */
export class _YieldOnce<T> extends CoroutineObject<T> {
  constructor(
    private readonly _result: T,
    name: string,
  ) {
    super(NOT_STARTED, name);
  }
  protected override _makeBody(): unknown {
    return new YieldOnceBody(this._result);
  }
}

/**
 * asyncio's `@coroutine`: makes `fn`'s calls return lazy coroutine objects, so that
 * `create_task(worker(n))` runs nothing before the task's first step, as in CPython.
 * Works for async functions and generator functions alike.
 */
export function coroutine<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => CoroutineObject<R extends PromiseLike<infer U> ? U : R extends Generator<any, infer G, any> ? G : R> {
  if (typeof fn !== "function") throw new TypeError(`coroutine() expects a function, got ${typeof fn}`);
  const name = callableName(fn);
  const wrapper = function (this: unknown, ...args: A) {
    return new CoroutineObject(() => fn.apply(this, args), name);
  };
  Object.defineProperty(wrapper, "name", { value: name });
  _markCoroutineFunction(wrapper);
  return wrapper as any;
}

/** @internal Makes `iscoroutinefunction(fn)` true for a function whose calls return coroutine objects. */
export function _markCoroutineFunction(fn: Function): void {
  (fn as unknown as Record<symbol, boolean>)[IS_COROUTINE] = true;
}

/** True for an async function, a generator function, or a function made by `coroutine()`. */
export function iscoroutinefunction(func: unknown): boolean {
  if (typeof func !== "function") return false;
  return func instanceof AsyncFunction || func instanceof GeneratorFunction || (func as unknown as Record<symbol, unknown>)[IS_COROUTINE] === true;
}

/** True for a coroutine object: lazy (`coroutine()`), a generator, or a started async function (a Promise). */
export function iscoroutine(obj: unknown): obj is Coroutine<unknown> {
  return obj instanceof CoroutineObject || _isGenerator(obj) || obj instanceof Promise;
}

/** Python's `_format_coroutine`, for reprs. */
export function _format_coroutine(coro: unknown): string {
  if (coro instanceof CoroutineObject) return `${coro.__qualname__}()`;
  if (_isGenerator(coro)) return `${(coro as { __qualname__?: string }).__qualname__ ?? "<generator>"}()`;
  if (typeof coro === "function") return `${callableName(coro)}()`;
  return coro instanceof Promise ? "<async function>" : String(coro);
}

// ---- compiled async functions (tulip/compile, tulip/register) ----

/**
 * What an async function compiled by tulip's transform becomes (ts/compile.ts): Babel turns
 * `async function f() { … await x … }` into `_async_function("f")(function* () { … yield x … })`,
 * and this makes its calls lazy coroutine objects whose body runs those `yield`s as `await`s,
 * so the function is a Python coroutine: nothing runs before its task's first step, and a
 * cancellation is thrown in at whichever `await` it is suspended on.
 */
export function _async_function(name: string): (genFn: (...args: any[]) => Generator) => (...args: any[]) => CoroutineObject<unknown> {
  return (genFn) => {
    // No name or coroutine mark on this wrapper: users never see it (Babel calls it from the
    // function they wrote, or once per call of a method), so that work would be wasted per call.
    return function (this: unknown, ...args: unknown[]) {
      const coro = new CompiledCoroutine(genFn, this, args, name);
      _orphanHook?.(coro);
      return coro;
    };
  };
}

/**
 * `_async_function.mark(f)`: the compile step marks the function a user sees (the declaration,
 * the expression, the class method) so that `iscoroutinefunction(f)` is true, as it is for the
 * `async def` it ports; `call_soon(f)` and `add_signal_handler(sig, f)` then refuse it as
 * CPython does. Returns `f`, so that an expression can be wrapped.
 */
_async_function.mark = function mark<F extends Function>(fn: F): F {
  _markCoroutineFunction(fn);
  return fn;
};

/**
 * What an async generator function compiled by tulip's transform is wrapped in (Babel's
 * `_wrapAsyncGenerator(function* …)` becomes `_async_generator(_wrapAsyncGenerator(…))`):
 * each generator it makes registers with the running loop at its first `next`, `throw` or
 * `return`, as CPython's `sys.set_asyncgen_hooks(firstiter=…)` registers it, so that the
 * loop's `shutdown_asyncgens()` (which `asyncio.run` and `Runner.close()` call) closes one left
 * suspended, running its `finally`. One that finishes leaves the loop's set (CPython's is a
 * WeakSet). JavaScript's own async generators have no such hook: only compiled ones register.
 */
export function _async_generator<F extends (...args: any[]) => AsyncGenerator>(make: F): F {
  return function (this: unknown, ...args: unknown[]) {
    const agen = make.apply(this, args) as AsyncGenerator & Record<string, unknown>;
    let loop: { _asyncgen_firstiter_hook(a: AsyncGenerator): void; _asyncgens: Set<AsyncGenerator> } | null = null;
    let first = true;
    const finished = (r: IteratorResult<unknown>) => {
      if (r.done) loop!._asyncgens.delete(agen);
    };
    const failed = () => {
      loop!._asyncgens.delete(agen);
    };
    for (const method of ["next", "throw", "return"]) {
      const step = agen[method] as ((arg: unknown) => Promise<IteratorResult<unknown>>) | undefined;
      if (typeof step !== "function") continue;
      agen[method] = function (arg: unknown) {
        if (first) {
          first = false;
          loop = _get_running_loop();
          loop?._asyncgen_firstiter_hook(agen);
        }
        const p = step.call(agen, arg);
        if (loop !== null) p.then(finished, failed);
        return p;
      };
    }
    return agen;
  } as unknown as F;
}

/** A coroutine whose body is a promise (a lazy async function), awaited by `yield*`. */
function* _awaitPromise(p: Promise<unknown>): Generator<unknown, unknown, unknown> {
  return yield p;
}

/** A compiled async function's call: the generator function, `this` and the arguments, in fields. */
class CompiledCoroutine<T> extends CoroutineObject<T> {
  constructor(
    private _genFn: ((...args: any[]) => Generator) | null,
    private _this: unknown,
    private _args: unknown[] | null,
    name: string,
  ) {
    super(NOT_STARTED, name);
  }
  protected override _makeBody(): unknown {
    const gen = this._genFn!.apply(this._this, this._args!);
    this._genFn = this._args = this._this = null;
    return new AwaitsDriver(gen);
  }
}

/** AwaitsDriver's mark for "the body awaits a foreign thenable, which the task itself awaits". */
const FOREIGN: Iterator<unknown> = { next: NOT_STARTED };

/**
 * Drives a compiled body: each `yield x` is `await x`. Futures, tasks and coroutine objects
 * are awaited as asyncio awaits them (Python's `await` delegates to their iterators, as
 * `yield*` does); any other thenable is yielded to the task as a foreign promise; anything
 * else is the value itself, as JavaScript's `await 5` is.
 *
 * This is the generator `function* (gen) { … v = yield* x … }` written out as an object with
 * the generator protocol (and prototype chain, so _isGenerator holds): a pending compiled
 * coroutine then holds two small fields instead of a second generator and its register file
 * (~230 bytes per pending task), and a step resumes one generator, not two.
 */
class AwaitsDriver {
  /** The awaitable's iterator the body waits on (or FOREIGN), null between awaits. */
  private _inner: Iterator<unknown> | null = null;
  private _done = false;
  constructor(private readonly _gen: Generator) {}

  next(value?: unknown): IteratorResult<unknown> {
    return this._resume(_NOEXC, value);
  }

  throw(exc: unknown): IteratorResult<unknown> {
    return this._resume(exc, undefined);
  }

  return(value: unknown): IteratorResult<unknown> {
    if (this._done) return { value, done: true };
    const inner = this._inner;
    this._inner = null;
    if (inner !== null && inner !== FOREIGN) {
      // yield*'s forwarding of return(); what the awaitable raises as it closes reaches the
      // body at its await, as Python's close() does.
      try {
        inner.return?.(undefined);
      } catch (e) {
        return this._resume(e, undefined);
      }
    }
    this._done = true;
    this._gen.return(undefined); // runs the body's finally blocks
    return { value, done: true };
  }

  private _resume(exc: unknown, value: unknown): IteratorResult<unknown> {
    if (this._done) {
      if (exc !== _NOEXC) throw exc;
      return { value: undefined, done: true };
    }
    const gen = this._gen;
    let inner = this._inner;
    this._inner = null;
    try {
      for (;;) {
        // The awaitable first, if the body waits on one: its outcome goes to the body.
        if (inner !== null && inner !== FOREIGN) {
          let r: IteratorResult<unknown> | null = null;
          try {
            r = exc !== _NOEXC ? throwInto(inner, exc) : inner.next(value);
            exc = _NOEXC;
          } catch (e) {
            exc = e;
          }
          if (r !== null) {
            if (!r.done) {
              this._inner = inner;
              return r; // what the awaitable yields (a Future, a bare yield) goes to the task
            }
            value = r.value;
          }
        }
        inner = null;
        const r = exc !== _NOEXC ? gen.throw(exc) : gen.next(value);
        exc = _NOEXC;
        if (r.done) {
          this._done = true;
          return r;
        }
        const x = r.value;
        value = undefined;
        if (x instanceof CoroutineObject || _isFuture(x)) {
          try {
            inner = (x as Iterable<unknown>)[Symbol.iterator]();
          } catch (e) {
            exc = e; // not iterable: a TypeError at the await, as yield* raises it
          }
        } else if (_isGenerator(x) && typeof (x as { _start?: unknown })._start === "function") {
          // tulip's own lazy generator coroutines (Event.wait, Lock.acquire, Queue.get: see
          // mixins' _lazyCoroutine): delegated to as well, not awaited as foreign thenables.
          try {
            inner = (x as unknown as { _start(): Generator })._start();
          } catch (e) {
            exc = e; // awaited twice
          }
        } else if (_isThenable(x)) {
          this._inner = FOREIGN;
          return r;
        } else value = x;
      }
    } catch (e) {
      this._done = true; // the body raised: the coroutine is finished
      throw e;
    }
  }
}
Object.setPrototypeOf(AwaitsDriver.prototype, GeneratorProto);


/** yield*'s throw(): into the awaitable, or, if it cannot take one, close it and raise TypeError. */
function throwInto(inner: Iterator<unknown>, exc: unknown): IteratorResult<unknown> {
  if (typeof inner.throw === "function") return inner.throw(exc);
  inner.return?.(undefined);
  throw new TypeError("The iterator does not provide a 'throw' method");
}
