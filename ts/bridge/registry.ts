/**
 * Typed peers: an optional description of the functions one side offers, so that
 * `peer.call("add", 1, 2)` infers its result and a wrong name or argument fails to compile.
 *
 * @example
 * ```ts
 * interface Py {                     // what the Python side registers
 *   add(a: number, b: number): number;
 *   rows(query: string): AsyncIterable<[number, string]>;   // an async generator
 * }
 * const peer = await Peer.connect<Py>("tcp://127.0.0.1:5555");
 * const n = await peer.call("add", 1, 2);                    // number
 * for await (const [id, name] of peer.stream("rows", "q")) {} // [number, string]
 * ```
 *
 * Nothing is checked at run time: the description is the caller's word for what the other
 * side does. A peer made without one (`Peer.connect(endpoint)`) takes any name, as before,
 * and `peer.call<T>(name, ...)` says the result type at the call.
 */

/** A registry: function names mapped to signatures (an interface or an object type). */
export type Registry = object;

/** The registry of a peer made without one: any name, any arguments, results typed `any`. */
export interface Untyped {
  [name: string]: (...args: any[]) => any;
}

/** True when `R` is {@link Untyped} (any name goes). */
export type IsUntyped<R> = string extends keyof R ? true : false;

/** The names of `R`'s functions. */
export type FunctionNames<R> = { [K in keyof R]: R[K] extends (...args: any[]) => unknown ? K : never }[keyof R] & string;

/** The names of `R`'s async generators (what `stream` iterates). */
export type StreamNames<R> = { [K in keyof R]: R[K] extends (...args: any[]) => infer X ? (X extends AsyncIterable<unknown> ? K : never) : never }[keyof R] & string;

/** The positional arguments of `R[K]`. */
export type ArgsOf<F> = F extends (...args: infer A) => unknown ? A : never;

/** What a call of `F` resolves to: its awaited return value. */
export type CallResult<F> = F extends (...args: any[]) => infer X ? Awaited<X> : never;

/** The items a stream of `F` yields. */
export type StreamItem<F> = F extends (...args: any[]) => infer X ? (X extends AsyncIterable<infer I> ? I : never) : never;

/** What `register(name, fn)` takes for `F`: the same parameters, its result or a promise or async iterable of it. */
export type Implementation<F> = F extends (...args: infer A) => infer X
  ? (...args: A) => X | PromiseLike<Awaited<X>>
  : never;
