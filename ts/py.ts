/**
 * `tulip/py`: the Python built-ins ported code keeps needing — `print`, `repr` and `str` as
 * CPython shows values, truth, `==` and `in`, indexing, slices, formatting, the str/bytes/list/
 * dict methods. One implementation, ts/port/py.ts, which `tulip port`'s output imports too;
 * this module adds the spellings hand-written ports use (`tuple(iterable)`, `isTuple`).
 */
import { Tuple, tuple_ } from "./port/py.js";

export * from "./port/py.js";

/** Python's `tuple(iterable)`: `tuple(sock.getsockname())` prints `('127.0.0.1', 8888)`. */
export function tuple<T>(items: Iterable<T> = []): Tuple<T> {
  return Object.freeze(tuple_(...items)) as Tuple<T>;
}

/** Whether `x` is a tuple (made by {@link tuple} or by ported code). */
export function isTuple(x: unknown): x is Tuple {
  return x instanceof Tuple;
}
