/**
 * Python's `async with` for JavaScript: the callback form of every tulip async context manager.
 *
 * `await asyncWith(cm, async (value) => { ... })` is `async with cm as value: ...` exactly:
 * `__aenter__()`, the body, then `__aexit__(type, exc, tb)` with the body's exception, which
 * is suppressed when `__aexit__` returns a truthy value. `await using` (TS 5.2) works too, as
 * `await using v = await cm.__aenter__()`, but JavaScript's disposal carries no exception, so
 * there the exit sees none: use this form where the exit must see the error (timeout's
 * TimeoutError, TaskGroup's cancel-on-error).
 */
export interface AsyncContextManager<T> {
  __aenter__(): PromiseLike<T> | T;
  __aexit__(type: unknown, value: unknown, tb: unknown): PromiseLike<unknown> | unknown;
}

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
