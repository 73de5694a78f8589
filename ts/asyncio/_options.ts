/**
 * Python keyword arguments as a trailing options object (DESIGN.md, porting conventions).
 *
 * Where a function also takes `*args` (call_soon, call_later, call_at, run_in_executor…), a
 * trailing plain object counts as the options object only if it has at least one key and
 * every key is one of that function's keyword names; `{}` or any other object is an argument.
 * To pass such an object as an argument, wrap the callback.
 */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object") return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Removes a trailing options object from `args` in place (a rest array the caller owns) and
 * returns it, or null when the last argument is not one. No allocation: call_soon's hot path.
 */
export function popOptions<O extends object>(args: unknown[], names: readonly string[]): Partial<O> | null {
  const n = args.length;
  if (n === 0) return null;
  const last = args[n - 1];
  if (!isPlainObject(last)) return null;
  let count = 0;
  for (const k in last) {
    if (!names.includes(k)) return null;
    count++;
  }
  if (count === 0) return null;
  args.length = n - 1;
  return last as Partial<O>;
}

/** Rejects option keys a function does not take, as Python rejects unknown keywords. */
export function checkOptions(fname: string, opts: object | undefined, names: readonly string[]): void {
  if (opts === undefined || opts === null) return;
  for (const k of Object.keys(opts)) {
    if (!names.includes(k)) throw new TypeError(`${fname}() got an unexpected keyword argument '${k}'`);
  }
}
