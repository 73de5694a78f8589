// The type-test helpers: these files are only type-checked (tsc --noEmit), never run.

/** True when `A` and `B` are the same type (not merely assignable one to the other). */
export type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

/**
 * `expectType<number>()(value)` compiles only when `value`'s inferred type is exactly
 * `number`; otherwise the call lacks an argument and tsc reports it.
 */
export function expectType<T>(): <V>(value: V, ...exact: Equal<T, V> extends true ? [] : [error: "inferred type differs", expected: T, got: V]) => void {
  return () => {};
}
