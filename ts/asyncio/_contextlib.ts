/**
 * Python's `async with` for JavaScript: the callback form of every tulip async context manager.
 *
 * `await asyncWith(cm, async (value) => { ... })` is `async with cm as value: ...` exactly:
 * `__aenter__()`, the body, then `__aexit__(type, exc, tb)` with the body's exception, which
 * is suppressed when `__aexit__` returns a truthy value.
 *
 * `await using cm = await asyncEnter(x)` is the `await using` form for any of them (`cm.value`
 * is what `__aenter__` returned). JavaScript's disposal carries no exception, so there the
 * exit sees none: use asyncWith where the exit must see the error (timeout's TimeoutError,
 * TaskGroup's cancel-on-error).
 */
import "./_polyfills.js";

export interface AsyncContextManager<T> {
  __aenter__(): PromiseLike<T> | T;
  __aexit__(type: unknown, value: unknown, tb: unknown): PromiseLike<unknown> | unknown;
}

/**
 * An async context manager whose exit never suppresses the body's exception: its `__aexit__`
 * resolves to a falsy value (None), as tulip's timeout, TaskGroup, locks and Runner do.
 */
export interface NonSuppressingAsyncContextManager<T> extends AsyncContextManager<T> {
  __aexit__(type: unknown, value: unknown, tb: unknown): PromiseLike<_Falsy> | _Falsy;
}
type _Falsy = null | undefined | void | false;

/**
 * `async with cm as value: body`. Resolves to the body's result; to `undefined` when
 * `__aexit__` suppressed the body's exception, which only a manager whose `__aexit__` may
 * resolve truthy can do (so `asyncWith(timeout(1), async () => 5)` is a `Promise<number>`).
 */
export function asyncWith<T, R>(cm: NonSuppressingAsyncContextManager<T>, body: (value: T) => R | PromiseLike<R>): Promise<R>;
export function asyncWith<T, R>(cm: AsyncContextManager<T>, body: (value: T) => R | PromiseLike<R>): Promise<R | undefined>;
export async function asyncWith<T, R>(cm: AsyncContextManager<T>, body: (value: T) => R | PromiseLike<R>): Promise<R | undefined> {
  const value = await cm.__aenter__();
  let result: R;
  try {
    result = await body(value);
  } catch (exc) {
    const type = exc !== null && typeof exc === "object" ? (exc as object).constructor : typeof exc;
    if (await cm.__aexit__(type, exc, null)) return undefined;
    throw exc;
  }
  await cm.__aexit__(null, null, null);
  return result;
}

/** What asyncEnter gives `await using`: the entered value, and the exit as its disposal. */
export interface AsyncEntered<T> {
  readonly value: T;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Enters `cm` (`await cm.__aenter__()`) and returns a disposable whose disposal is
 * `__aexit__(null, null, null)`: `await using held = await asyncEnter(lock)` holds the lock to
 * the end of the scope, as `async with lock:` does.
 */
export async function asyncEnter<T>(cm: AsyncContextManager<T>): Promise<AsyncEntered<T>> {
  const value = await cm.__aenter__();
  return {
    value,
    async [Symbol.asyncDispose]() {
      await cm.__aexit__(null, null, null);
    },
  };
}
