/**
 * `tulip/py`: Python's builtins for code that `tulip port` translated — `print`, `str` and
 * `repr` that show values as CPython does (`True`, `None`, `[1, 'a']`, `(1,)`, `b'x'`,
 * `{'k': 1}`), Python's truth (`bool([])` is false), `len`, `range`, `sorted`, `in`
 * (`contains`), `==` on lists and dicts (`eq`), indexing with negative indices and
 * KeyError/IndexError (`getitem`), slices with a step, and the methods of `str`, `list`,
 * `dict` and `set` whose JavaScript counterparts differ. Each takes any value, as the
 * Python it stands for does; each is what the ported line says, so a reader finds it here.
 *
 * Python's types map as the README's porting table says: `None` is `null`, `str` a string,
 * `int`/`float` a number, `list` an array, `tuple` a {@link Tuple} (an array that prints
 * as a tuple), `dict` a {@link Dict} (a Map that iterates its keys), `set` a Set, `bytes` a
 * Buffer.
 */
import * as _signal from "../signal.js";
import { threadable } from "../concurrent/_crossing.js";
import { constants } from "node:os";
import { BaseExceptionGroup, Exception, ExceptionGroup, IndexError, KeyError, NotImplementedError, StopIteration, StopAsyncIteration, ValueError } from "../asyncio/exceptions.js";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Python's `tuple`: an array that prints as `(a, b)` and is equal only to tuples. */
export class Tuple<T = Any> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

/** `(a, b, …)`: a new tuple. */
export function tuple_(...items: Any[]): Tuple {
  const t = new Tuple();
  for (const x of items) t.push(x);
  return t;
}

/** Python's `dict`: a Map whose iteration (`for k in d`, `list(d)`) gives its keys. */
export class Dict<K = Any, V = Any> extends Map<K, V> {
  // Python iterates a dict's keys (Map's iterator gives entries).
  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.keys() as unknown as MapIterator<[K, V]>;
  }
}

/** Python's `ZeroDivisionError`. */
export class ZeroDivisionError extends Exception {}
Object.defineProperty(ZeroDivisionError.prototype, "name", { value: "ZeroDivisionError", writable: true, configurable: true });
/** Python's `AssertionError`. */
export class AssertionError extends Exception {}
Object.defineProperty(AssertionError.prototype, "name", { value: "AssertionError", writable: true, configurable: true });

function isPlainObject(x: Any): boolean {
  if (x === null || typeof x !== "object") return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

function isMap(x: Any): x is Map<Any, Any> {
  return x instanceof Map;
}

// ---- showing values ----

/** Python's `str.__repr__`: single quotes unless the text has ' and no ", escapes for the unprintable. */
function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (c >= 0x80 && !printable(ch)) {
      out += c <= 0xff ? "\\x" + c.toString(16).padStart(2, "0") : c <= 0xffff ? "\\u" + c.toString(16).padStart(4, "0") : "\\U" + c.toString(16).padStart(8, "0");
    } else out += ch;
  }
  return out + q;
}

/** Python's str.isprintable() for one character, closely enough: not a control, separator (but space), format, surrogate or unassigned character. */
function printable(ch: string): boolean {
  return !/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u.test(ch);
}

function bytesRepr(b: Uint8Array): string {
  let hasSingle = false, hasDouble = false;
  for (const c of b) {
    if (c === 0x27) hasSingle = true;
    if (c === 0x22) hasDouble = true;
  }
  const q = hasSingle && !hasDouble ? '"' : "'";
  let out = "";
  for (const c of b) {
    if (c === 0x5c) out += "\\\\";
    else if (c === q.charCodeAt(0)) out += "\\" + q;
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c < 0x20 || c >= 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += String.fromCharCode(c);
  }
  return "b" + q + out + q;
}

/** Python's float repr for non-integral numbers; integral numbers as ints. */
function numRepr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  if (Object.is(n, -0)) return "-0.0";
  if (Number.isSafeInteger(n)) return String(n);
  // Beyond 2^53 a number is only a float, which Python writes in exponent form from 1e16 on.
  if (Math.abs(n) >= 1e16) return expForm(n);
  const s = String(n);
  // JavaScript writes 1e-7 and 1.5e+300; Python 1e-07 and 1.5e+300 (at least two exponent digits).
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(s);
  if (m) return `${m[1]}e${m[2]}${m[3].padStart(2, "0")}`;
  // Python switches to exponent form below 1e-4, JavaScript below 1e-6.
  if (Math.abs(n) < 1e-4) return expForm(n);
  return s;
}

/** `1.5e+300`, `1e-07`: the shortest digits that round-trip, at least two exponent digits. */
function expForm(n: number): string {
  const [mant, exp] = n.toExponential().split("e");
  const e = Number(exp);
  return `${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/** Python's `repr(x)`. */
export function repr(x: Any, seen: Set<unknown> = new Set()): string {
  if (x === null || x === undefined) return "None";
  if (x === true) return "True";
  if (x === false) return "False";
  if (typeof x === "string") return strRepr(x);
  if (typeof x === "number") return numRepr(x);
  if (typeof x === "bigint") return x.toString();
  if (typeof x === "function") {
    if (/^class\b/.test(Function.prototype.toString.call(x))) return `<class '${x.name}'>`;
    return `<function ${x.name || "<lambda>"}>`;
  }
  if (typeof x === "symbol") return String(x);
  if (typeof x.__repr__ === "function") return String(x.__repr__());
  if (seen.has(x)) return Array.isArray(x) ? "[...]" : "{...}";
  seen.add(x);
  try {
    if (x instanceof Tuple) return x.length === 1 ? `(${repr(x[0], seen)},)` : "(" + x.map((v) => repr(v, seen)).join(", ") + ")";
    if (Array.isArray(x)) return "[" + x.map((v) => repr(v, seen)).join(", ") + "]";
    if (x instanceof Uint8Array) return bytesRepr(x);
    if (x instanceof Map) return "{" + [...x.entries()].map(([k, v]) => `${repr(k, seen)}: ${repr(v, seen)}`).join(", ") + "}";
    if (x instanceof Set) return x.size === 0 ? "set()" : "{" + [...x].map((v) => repr(v, seen)).join(", ") + "}";
    if (x instanceof Error) {
      const args: unknown[] = (x as { args?: unknown[] }).args ?? (x.message ? [x.message] : []);
      return `${x.name}(${args.map((a) => repr(a, seen)).join(", ")})`;
    }
    if (isPlainObject(x)) return "{" + Object.entries(x).map(([k, v]) => `${strRepr(k)}: ${repr(v, seen)}`).join(", ") + "}";
    if (typeof x.toString === "function" && x.toString !== Object.prototype.toString) return String(x);
    return `<${x.constructor?.name ?? "object"} object>`;
  } finally {
    seen.delete(x);
  }
}

/** Python's `str(x)`: strings as they are, exceptions as their message, the rest as `repr`. */
export function str(...args: Any[]): string {
  if (args.length === 0) return ""; // str() is ''; str(undefined) is None's 'None'
  const x = args[0];
  if (typeof x === "string") return x;
  if (x !== null && typeof x === "object") {
    if (typeof x.__str__ === "function") return String(x.__str__());
    if (x instanceof Error) return x.message;
  }
  return repr(x);
}

/** Python's `ascii(x)`. */
export function ascii(x: Any): string {
  return repr(x).replace(/[^\x00-\x7f]/gu, (c) => {
    const n = c.codePointAt(0)!;
    return n < 0x100 ? "\\x" + n.toString(16).padStart(2, "0") : n < 0x10000 ? "\\u" + n.toString(16).padStart(4, "0") : "\\U" + n.toString(16).padStart(8, "0");
  });
}

interface PrintOptions { sep?: string | null; end?: string | null; file?: { write(s: string): unknown } | null }

/** Python's `print(*args)`: each `str(x)`, joined by spaces, then a newline, to stdout. */
export const print = Object.assign(threadable(import.meta.url, function print(...args: Any[]): void {
  process.stdout.write(args.map((a) => str(a)).join(" ") + "\n");
}), {
  /** `print(*args, sep=…, end=…, file=…)`. */
  kw(options: PrintOptions, ...args: Any[]): void {
    const text = args.map((a) => str(a)).join(options.sep ?? " ") + (options.end ?? "\n");
    if (options.file) options.file.write(text);
    else process.stdout.write(text);
  },
});

/** `type(x).__name__`. */
export function type_name(x: Any): string {
  if (x === null || x === undefined) return "NoneType";
  if (typeof x === "boolean") return "bool";
  if (typeof x === "number") return Number.isInteger(x) ? "int" : "float";
  if (typeof x === "string") return "str";
  if (typeof x === "function") return /^class\b/.test(Function.prototype.toString.call(x)) ? "type" : "function";
  if (x instanceof Tuple) return "tuple";
  if (Array.isArray(x)) return "list";
  if (x instanceof Uint8Array) return "bytes";
  if (x instanceof Map || isPlainObject(x)) return "dict";
  if (x instanceof Set) return "set";
  if (x instanceof Error) return x.name;
  return x.constructor?.name ?? "object";
}

// ---- truth, equality, order ----

/** Python's truth: `None`, `0`, `''`, and an empty list, tuple, dict, set or bytes are false. */
export function bool(x: Any = false): boolean {
  if (x === null || x === undefined) return false;
  if (typeof x === "object") {
    if (typeof x.__bool__ === "function") return Boolean(x.__bool__());
    if (typeof x.__len__ === "function") return x.__len__() !== 0;
    if (Array.isArray(x) || x instanceof Uint8Array) return x.length !== 0;
    if (x instanceof Map || x instanceof Set) return x.size !== 0;
    if (isPlainObject(x)) return Object.keys(x).length !== 0;
    return true;
  }
  return Boolean(x);
}

/** Python's `a == b`: lists, tuples, dicts, sets and bytes by value. */
export function eq(a: Any, b: Any): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return a == b; // eslint-disable-line eqeqeq
  if (typeof a === "object" && typeof a.__eq__ === "function") return Boolean(a.__eq__(b));
  if (Array.isArray(a) && Array.isArray(b)) {
    if ((a instanceof Tuple) !== (b instanceof Tuple) || a.length !== b.length) return false;
    return a.every((x, i) => eq(x, b[i]));
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a.entries()) if (!b.has(k) || !eq(v, b.get(k))) return false;
    return true;
  }
  if (a instanceof Set && b instanceof Set) return a.size === b.size && [...a].every((x) => b.has(x));
  if (typeof a === "boolean" || typeof b === "boolean") return Number(a) === Number(b);
  return false;
}

function compare(a: Any, b: Any): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compare(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (typeof a === "object" && a !== null && typeof a.__lt__ === "function") return a.__lt__(b) ? -1 : b.__lt__(a) ? 1 : 0;
  if ((typeof a === "string") !== (typeof b === "string") || a === null || b === null) {
    throw new TypeError(`'<' not supported between instances of '${type_name(a)}' and '${type_name(b)}'`);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Python's `x in container`. */
export function contains(container: Any, x: Any): boolean {
  if (typeof container === "string") return container.includes(x);
  if (Array.isArray(container)) return container.some((v) => eq(v, x));
  if (container instanceof Map || container instanceof Set) return container.has(x);
  if (container instanceof Uint8Array) {
    if (typeof x === "number") return container.includes(x);
    return Buffer.from(container).includes(Buffer.from(x));
  }
  if (container !== null && typeof container === "object") {
    if (typeof container.__contains__ === "function") return Boolean(container.__contains__(x));
    if (isPlainObject(container)) return Object.hasOwn(container, x);
    if (typeof container[Symbol.iterator] === "function") {
      for (const v of container) if (eq(v, x)) return true;
      return false;
    }
  }
  throw new TypeError(`argument of type '${type_name(container)}' is not iterable`);
}

// ---- operators ----

/** Python's `a + b`: numbers, strings, and lists, tuples and bytes joined. */
export function add(a: Any, b: Any): Any {
  if (Array.isArray(a) && Array.isArray(b)) return a instanceof Tuple ? tuple_(...a, ...b) : [...a, ...b];
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.concat([a, b]);
  if (typeof a === "object" && a !== null && typeof a.__add__ === "function") return a.__add__(b);
  if (typeof a !== typeof b) throw new TypeError(`unsupported operand type(s) for +: '${type_name(a)}' and '${type_name(b)}'`);
  return a + b;
}

/** Python's `a * b`: numbers, and strings, lists and bytes repeated. */
export function mul(a: Any, b: Any): Any {
  if (typeof a === "number" && typeof b !== "number") [a, b] = [b, a];
  if (typeof a === "string") return a.repeat(Math.max(0, b));
  if (Array.isArray(a)) {
    const out: Any[] = [];
    for (let i = 0; i < b; i++) out.push(...a);
    return a instanceof Tuple ? tuple_(...out) : out;
  }
  if (a instanceof Uint8Array) return Buffer.concat(Array.from({ length: Math.max(0, b) }, () => a));
  return a * b;
}

/** Python's `a % b`: the sign of the divisor, and `%`-formatting for strings. */
export function mod(a: Any, b: Any): Any {
  if (typeof a === "string") return percent(a, b);
  if (b === 0) throw new ZeroDivisionError("integer division or modulo by zero");
  return ((a % b) + b) % b;
}

/** Python's `a / b`: raises ZeroDivisionError instead of giving Infinity. */
export function div(a: Any, b: Any): number {
  if (b === 0) throw new ZeroDivisionError("division by zero");
  return a / b;
}

/** `fmt % args`: `%s`, `%r`, `%d`, `%i`, `%f` (with a precision), `%x`, `%%`. */
export function percent(fmt: string, args: Any): string {
  const list = args instanceof Tuple ? [...args] : [args];
  let i = 0;
  const out = fmt.replace(/%([-0 +]*)(\d*)(?:\.(\d+))?([srdifxXeg%])/g, (_m, flags: string, width: string, prec: string, t: string) => {
    if (t === "%") return "%";
    const v = list[i++];
    let s: string;
    if (t === "s") s = str(v);
    else if (t === "r") s = repr(v);
    else if (t === "d" || t === "i") s = String(Math.trunc(v));
    else if (t === "f") s = Number(v).toFixed(prec === undefined ? 6 : Number(prec));
    else if (t === "x") s = Math.trunc(v).toString(16);
    else if (t === "X") s = Math.trunc(v).toString(16).toUpperCase();
    else if (t === "e") s = Number(v).toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([+-])(\d)$/, "e$10$2");
    else s = String(v);
    if (flags.includes("+") && typeof v === "number" && v >= 0) s = "+" + s;
    const w = Number(width || 0);
    if (s.length < w) s = flags.includes("-") ? s.padEnd(w) : flags.includes("0") ? s.padStart(w, "0") : s.padStart(w);
    return s;
  });
  if (i < list.length) throw new TypeError("not all arguments converted during string formatting");
  return out;
}

/** `format(x, spec)`, as an f-string's `{x:spec}`: fill, align, sign, width, `,`, precision and the types `d f e % s x b o g`. */
export function format(x: Any, spec: string): string {
  const m = /^(?:(.)?([<>^=]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(spec);
  if (!m) throw new ValueError(`Invalid format specifier '${spec}'`);
  let [, fill, align, sign, , zero, width, group, prec, type] = m;
  let s: string;
  if (typeof x === "string" || type === "s") {
    s = str(x);
    if (prec !== undefined) s = s.slice(0, Number(prec));
    align ??= "<";
  } else {
    const n = Number(x);
    if (type === "f" || type === "F") s = n.toFixed(prec === undefined ? 6 : Number(prec));
    else if (type === "e" || type === "E") s = n.toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([+-])(\d)$/, "e$10$2");
    else if (type === "%") s = (n * 100).toFixed(prec === undefined ? 6 : Number(prec)) + "%";
    else if (type === "x") s = Math.trunc(n).toString(16);
    else if (type === "X") s = Math.trunc(n).toString(16).toUpperCase();
    else if (type === "b") s = Math.trunc(n).toString(2);
    else if (type === "o") s = Math.trunc(n).toString(8);
    else if (type === "g" || type === "G") s = prec === undefined ? numRepr(n) : String(Number(n.toPrecision(Number(prec) || 1)));
    else if (type === "d" || type === "n") s = String(Math.trunc(n));
    else s = prec !== undefined ? String(Number(n.toPrecision(Number(prec)))) : str(x);
    if (group) {
      const [int, frac] = s.split(".");
      s = int.replace(/\B(?=(\d{3})+(?!\d))/g, group) + (frac !== undefined ? "." + frac : "");
    }
    if (sign === "+" && n >= 0) s = "+" + s;
    else if (sign === " " && n >= 0) s = " " + s;
    if (zero && !align) { fill = "0"; align = "="; }
    align ??= ">";
  }
  const w = Number(width ?? 0);
  if (s.length >= w) return s;
  const f = fill ?? " ", pad = w - s.length;
  if (align === "<") return s + f.repeat(pad);
  if (align === "^") return f.repeat(Math.floor(pad / 2)) + s + f.repeat(pad - Math.floor(pad / 2));
  if (align === "=" && /^[+\- ]/.test(s)) return s[0] + f.repeat(pad) + s.slice(1);
  return f.repeat(pad) + s;
}

// ---- builtins ----

/** Python's `len(x)`. */
export function len(x: Any): number {
  if (typeof x === "string" || Array.isArray(x) || x instanceof Uint8Array) return x.length;
  if (x instanceof Map || x instanceof Set) return x.size;
  if (x !== null && typeof x === "object") {
    if (typeof x.__len__ === "function") return x.__len__();
    if (isPlainObject(x)) return Object.keys(x).length;
  }
  throw new TypeError(`object of type '${type_name(x)}' has no len()`);
}

/** Python's `range(stop)` / `range(start, stop[, step])`, as an array. */
export function range(a: number, b?: number, step = 1): number[] {
  const [start, stop] = b === undefined ? [0, a] : [a, b];
  if (step === 0) throw new ValueError("range() arg 3 must not be zero");
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

function toArray(x: Any): Any[] {
  if (Array.isArray(x)) return x;
  if (isPlainObject(x)) return Object.keys(x);
  if (typeof x === "string") return [...x];
  if (x !== null && x !== undefined && typeof x[Symbol.iterator] === "function") return [...x];
  throw new TypeError(`'${type_name(x)}' object is not iterable`);
}

/** Python's `enumerate(xs, start)`: `(i, x)` tuples. */
export function enumerate(xs: Any, start = 0): Tuple[] {
  return toArray(xs).map((x, i) => tuple_(i + start, x));
}

/** Python's `zip(*iterables)`: tuples, as long as the shortest. */
export function zip(...xss: Any[]): Tuple[] {
  const arrays = xss.map(toArray);
  const n = arrays.length === 0 ? 0 : Math.min(...arrays.map((a) => a.length));
  return Array.from({ length: n }, (_, i) => tuple_(...arrays.map((a) => a[i])));
}

interface SortOptions { key?: ((x: Any) => Any) | null; reverse?: boolean }

function isSortOptions(x: Any): x is SortOptions {
  return isPlainObject(x) && Object.keys(x).length > 0 && Object.keys(x).every((k) => k === "key" || k === "reverse" || k === "default");
}

function sortInPlace(xs: Any[], options: SortOptions = {}): Any[] {
  const key = options.key ?? ((x: Any) => x);
  const keyed = xs.map((x, i) => [key(x), i, x] as const);
  keyed.sort((a, b) => (options.reverse ? compare(b[0], a[0]) : compare(a[0], b[0])) || a[1] - b[1]);
  keyed.forEach(([, , x], i) => { xs[i] = x; });
  return xs;
}

/** Python's `sorted(xs, key=…, reverse=…)` (stable, Python's order: numbers by value). */
export function sorted(xs: Any, options: SortOptions = {}): Any[] {
  return sortInPlace([...toArray(xs)], options);
}

/** `xs.sort(key=…, reverse=…)`. */
export function sort(xs: Any, options: SortOptions = {}): null {
  if (!Array.isArray(xs)) (xs as Any).sort(options);
  else sortInPlace(xs, options);
  return null;
}

function extreme(name: string, sign: number, args: Any[]): Any {
  const options = args.length > 1 && isSortOptions(args[args.length - 1]) ? args.pop() as SortOptions & { default?: Any } : {};
  const items = args.length === 1 ? toArray(args[0]) : args;
  if (items.length === 0) {
    if ("default" in options) return options.default;
    throw new ValueError(`${name}() arg is an empty sequence`);
  }
  const key = options.key ?? ((x: Any) => x);
  let best = items[0], bestKey = key(best);
  for (const x of items.slice(1)) {
    const k = key(x);
    if (compare(k, bestKey) * sign > 0) { best = x; bestKey = k; }
  }
  return best;
}

/** Python's `min(xs)` / `min(a, b, …)`, with `{ key, default }`. */
export function min(...args: Any[]): Any {
  return extreme("min", -1, args);
}

/** Python's `max(xs)` / `max(a, b, …)`, with `{ key, default }`. */
export function max(...args: Any[]): Any {
  return extreme("max", 1, args);
}

/** Python's `sum(xs, start)`. */
export function sum(xs: Any, start: Any = 0): Any {
  return toArray(xs).reduce((a, b) => add(a, b), start);
}

/** Python's `isinstance(x, T)` / `isinstance(x, (T, U))`, with this module's `int`, `str`, `list`… for Python's types. */
export function isinstance(x: Any, t: Any): boolean {
  if (Array.isArray(t)) return t.some((u) => isinstance(x, u));
  if (t === int) return typeof x === "number" && Number.isInteger(x) || typeof x === "boolean";
  if (t === float) return typeof x === "number";
  if (t === str) return typeof x === "string";
  if (t === bool) return typeof x === "boolean";
  if (t === list) return Array.isArray(x) && !(x instanceof Tuple);
  if (t === tuple_) return x instanceof Tuple;
  if (t === dict) return x instanceof Map || isPlainObject(x);
  if (t === set || t === frozenset) return x instanceof Set;
  if (t === bytes) return x instanceof Uint8Array;
  if (typeof t === "function") return x instanceof t;
  throw new TypeError("isinstance() arg 2 must be a type, a tuple of types, or a union");
}

/** Python's `issubclass(C, T)`. */
export function issubclass(c: Any, t: Any): boolean {
  if (Array.isArray(t)) return t.some((u) => issubclass(c, u));
  return c === t || c.prototype instanceof t;
}

/** Python's `int(x)`. */
export function int(x: Any = 0, base = 10): number {
  if (typeof x === "string") {
    const s = x.trim().replace(/_/g, "");
    const ok = base === 10 ? /^[+-]?\d+$/.test(s) : s !== "" && !Number.isNaN(parseInt(s, base));
    if (!ok) throw new ValueError(`invalid literal for int() with base ${base}: ${repr(x)}`);
    return parseInt(s, base);
  }
  if (typeof x === "boolean") return Number(x);
  if (typeof x === "number") {
    if (!Number.isFinite(x)) throw new ValueError(`cannot convert float ${numRepr(x)} to integer`);
    return Math.trunc(x);
  }
  if (x instanceof Uint8Array) return int(Buffer.from(x).toString("latin1"), base);
  throw new TypeError(`int() argument must be a string, a bytes-like object or a real number, not '${type_name(x)}'`);
}

/** Python's `float(x)`. */
export function float(x: Any = 0): number {
  if (typeof x === "string") {
    const s = x.trim().toLowerCase();
    if (s === "inf" || s === "+inf" || s === "infinity") return Infinity;
    if (s === "-inf" || s === "-infinity") return -Infinity;
    if (s === "nan") return NaN;
    if (s === "" || Number.isNaN(Number(s))) throw new ValueError(`could not convert string to float: ${repr(x)}`);
    return Number(s);
  }
  return Number(x);
}

/** Python's `list(xs)`: a new array (a dict's keys, a string's characters). */
export function list(xs: Any = []): Any[] {
  return [...toArray(xs)];
}

/** Python's `dict(pairs)` / `dict(mapping)`. */
export function dict(x: Any = []): Dict {
  if (x instanceof Map) return new Dict(x.entries());
  if (isPlainObject(x)) return new Dict(Object.entries(x));
  return new Dict(toArray(x).map((p) => [p[0], p[1]] as [Any, Any]));
}

/** Python's `set(xs)`. */
export function set(xs: Any = []): Set<Any> {
  return new Set(toArray(xs));
}

/** Python's `frozenset(xs)` (a Set). */
export function frozenset(xs: Any = []): Set<Any> {
  return new Set(toArray(xs));
}

/** Python's `bytes(x)`: from a length, a list of ints, or bytes. */
export function bytes(x: Any = 0, encoding?: string): Buffer {
  if (typeof x === "number") return Buffer.alloc(x);
  if (typeof x === "string") {
    if (encoding === undefined) throw new TypeError("string argument without an encoding");
    return Buffer.from(x, "utf8");
  }
  return Buffer.from(toArray(x));
}

/** Python's `abs(x)`. */
export function abs(x: number): number {
  return Math.abs(x);
}

/** Python's `round(x, n)`: halves to even, as Python rounds. */
export function round(x: number, n?: number): number {
  const f = 10 ** (n ?? 0);
  const y = x * f;
  let r = Math.round(y);
  if (Math.abs(y % 1) === 0.5 && r % 2 !== 0) r -= 1;
  return r / f;
}

/** Python's `divmod(a, b)`. */
export function divmod(a: number, b: number): Tuple {
  if (b === 0) throw new ZeroDivisionError("integer division or modulo by zero");
  return tuple_(Math.floor(a / b), mod(a, b));
}

/** Python's `any(xs)`. */
export function any(xs: Any): boolean {
  return toArray(xs).some((x) => bool(x));
}

/** Python's `all(xs)`. */
export function all(xs: Any): boolean {
  return toArray(xs).every((x) => bool(x));
}

/** Python's `reversed(xs)`. */
export function reversed(xs: Any): Any[] {
  return [...toArray(xs)].reverse();
}

/** Python's `map(f, xs)` (an array). */
export function map_(f: (...a: Any[]) => Any, ...xss: Any[]): Any[] {
  return zip(...xss).map((args) => f(...args));
}

/** Python's `filter(f, xs)` (an array). */
export function filter_(f: ((x: Any) => Any) | null, xs: Any): Any[] {
  return toArray(xs).filter((x) => bool(f === null ? x : f(x)));
}

/** Python's `ord(c)`. */
export function ord(c: string): number {
  return c.codePointAt(0)!;
}

/** Python's `chr(n)`. */
export function chr(n: number): string {
  return String.fromCodePoint(n);
}

/** Python's `hex(n)`. */
export function hex(n: Any): string {
  if (n instanceof Uint8Array) return Buffer.from(n).toString("hex");
  return (n < 0 ? "-0x" : "0x") + Math.abs(n).toString(16);
}

const ids = new WeakMap<object, number>();
let nextId = 1;

/** Python's `id(x)`: a number unique to the object while it lives. */
export function id_(x: Any): number {
  if (x === null || typeof x !== "object" && typeof x !== "function") return 0;
  let n = ids.get(x);
  if (n === undefined) ids.set(x, n = nextId++);
  return n;
}

/** Python's `hash(x)` for strings, numbers and objects. */
export function hash_(x: Any): number {
  if (typeof x === "number") return Math.trunc(x);
  if (typeof x === "string") {
    let h = 0;
    for (let i = 0; i < x.length; i++) h = (h * 31 + x.charCodeAt(i)) | 0;
    return h;
  }
  return id_(x);
}

/** Python's `hasattr(x, name)`. */
export function hasattr(x: Any, name: string): boolean {
  return x !== null && x !== undefined && name in Object(x);
}

/** Python's `getattr(x, name[, default])`. */
export function getattr(x: Any, name: string, ...def: Any[]): Any {
  if (hasattr(x, name)) {
    const v = x[name];
    return typeof v === "function" && !/^class\b/.test(Function.prototype.toString.call(v)) ? v.bind(x) : v;
  }
  if (def.length > 0) return def[0];
  throw new (class AttributeError extends Exception {})(`'${type_name(x)}' object has no attribute '${name}'`);
}

/** Python's `setattr(x, name, value)`. */
export function setattr(x: Any, name: string, value: Any): void {
  x[name] = value;
}

/** Python's `callable(x)`. */
export function callable(x: Any): boolean {
  return typeof x === "function";
}

/** Python's `iter(xs)`: a JavaScript iterator. */
export function iter(xs: Any): Iterator<Any> {
  if (xs !== null && typeof xs === "object" && typeof xs.next === "function") return xs;
  return toArray(xs)[Symbol.iterator]();
}

/** Python's `next(it[, default])`: StopIteration at the end. */
export function next(it: Any, ...def: Any[]): Any {
  if (typeof it.__next__ === "function") return it.__next__();
  const r = it.next();
  if (!r.done) return r.value;
  if (def.length > 0) return def[0];
  throw new StopIteration();
}

/** Python's `anext(agen[, default])` and `agen.__anext__()`: the next value's awaitable (StopAsyncIteration, or `default`, at the end). */
export function anext(it: Any, ...def: Any[]): Any {
  if (typeof it.__anext__ === "function") return it.__anext__();
  return it.next().then((r: IteratorResult<Any>) => {
    if (!r.done) return r.value;
    if (def.length > 0) return def[0];
    throw new StopAsyncIteration();
  });
}

/** An async generator's `aclose()`: its `return()`, which runs its finally block; resolves with None. */
export function aclose(agen: Any): Any {
  if (typeof agen.aclose === "function") return agen.aclose();
  return agen.return(undefined).then(() => null);
}

// ---- subscripts ----

function index_of(x: Any, i: number, what: string): number {
  const j = i < 0 ? x.length + i : i;
  if (!Number.isInteger(i) || j < 0 || j >= x.length) throw new IndexError(`${what} index out of range`);
  return j;
}

function seqName(x: Any): string {
  return typeof x === "string" ? "string" : x instanceof Tuple ? "tuple" : x instanceof Uint8Array ? "index" : "list";
}

/** Python's `x[k]`: negative indices, IndexError, KeyError. */
export function getitem(x: Any, k: Any): Any {
  if (typeof x === "string" || Array.isArray(x) || x instanceof Uint8Array) return x[index_of(x, k, seqName(x))];
  if (x instanceof Map) {
    if (!x.has(k)) throw new KeyError(k);
    return x.get(k);
  }
  if (x !== null && typeof x === "object" && typeof x.__getitem__ === "function") return x.__getitem__(k);
  if (x !== null && typeof x === "object" && typeof x.has === "function" && typeof x.get === "function") {
    if (!x.has(k)) throw new KeyError(k); // a contextvars.Context
    return x.get(k);
  }
  if (isPlainObject(x)) {
    if (!Object.hasOwn(x, k)) throw new KeyError(k);
    return x[k];
  }
  throw new TypeError(`'${type_name(x)}' object is not subscriptable`);
}

/** Python's `x[k] = v`. */
export function setitem(x: Any, k: Any, v: Any): void {
  if (Array.isArray(x) || x instanceof Uint8Array) x[index_of(x, k, "list assignment")] = v;
  else if (x instanceof Map) x.set(k, v);
  else if (typeof x.__setitem__ === "function") x.__setitem__(k, v);
  else x[k] = v;
}

/** Python's `del x[k]`. */
export function delitem(x: Any, k: Any): void {
  if (Array.isArray(x)) x.splice(index_of(x, k, "list assignment"), 1);
  else if (x instanceof Map) {
    if (!x.delete(k)) throw new KeyError(k);
  } else if (typeof x.__delitem__ === "function") x.__delitem__(k);
  else {
    if (!Object.hasOwn(x, k)) throw new KeyError(k);
    delete x[k];
  }
}

/** Python's `x[lo:hi:step]` for strings, lists, tuples and bytes. */
export function slice(x: Any, lo: number | null, hi: number | null, step: number | null = null): Any {
  const s = step ?? 1;
  if (s === 0) throw new ValueError("slice step cannot be zero");
  const n = x.length;
  const clamp = (v: number, dflt: number, low: number, high: number) =>
    v === null ? dflt : v < 0 ? Math.max(v + n, low) : Math.min(v, high);
  const start = clamp(lo as number, s > 0 ? 0 : n - 1, s > 0 ? 0 : -1, s > 0 ? n : n - 1);
  const stop = clamp(hi as number, s > 0 ? n : -1, s > 0 ? 0 : -1, s > 0 ? n : n - 1);
  const idx: number[] = [];
  for (let i = start; s > 0 ? i < stop : i > stop; i += s) idx.push(i);
  if (typeof x === "string") return idx.map((i) => x[i]).join("");
  if (x instanceof Uint8Array) return Buffer.from(idx.map((i) => x[i]));
  const items = idx.map((i) => x[i]);
  return x instanceof Tuple ? tuple_(...items) : items;
}

// ---- methods of str, bytes, list, dict and set ----

/** `d.get(k[, default])` (a Queue's `get()`, with no key, is its own). */
export function get_(d: Any, k: Any, def: Any = null): Any {
  if (d instanceof Map) return d.has(k) ? d.get(k) : def;
  if (isPlainObject(d)) return Object.hasOwn(d, k) ? d[k] : def;
  return d.get(k, def);
}

/** `xs.pop(i)` / `d.pop(k[, default])`. */
export function pop_(x: Any, k: Any, ...def: Any[]): Any {
  if (Array.isArray(x)) {
    if (x.length === 0) throw new IndexError("pop from empty list");
    return x.splice(index_of(x, k, "pop"), 1)[0];
  }
  if (x instanceof Map) {
    if (!x.has(k)) {
      if (def.length > 0) return def[0];
      throw new KeyError(k);
    }
    const v = x.get(k);
    x.delete(k);
    return v;
  }
  if (isPlainObject(x)) {
    if (!Object.hasOwn(x, k)) {
      if (def.length > 0) return def[0];
      throw new KeyError(k);
    }
    const v = x[k];
    delete x[k];
    return v;
  }
  return x.pop(k, ...def);
}

/** `x.clear()` for lists, dicts and sets (an Event's `clear()` is its own). */
export function clear(x: Any): void {
  if (Array.isArray(x)) x.length = 0;
  else if (isPlainObject(x)) for (const k of Object.keys(x)) delete x[k];
  else x.clear();
}

/** `sep.join(xs)` (a Queue's or a TaskGroup's `join()`, with no argument, is its own). */
export function join(sep: Any, xs: Any): Any {
  if (typeof sep === "string") {
    const items = toArray(xs);
    for (const x of items) if (typeof x !== "string") throw new TypeError(`sequence item 0: expected str instance, ${type_name(x)} found`);
    return items.join(sep);
  }
  if (sep instanceof Uint8Array) {
    const items = toArray(xs);
    const parts: Uint8Array[] = [];
    items.forEach((x, i) => { if (i > 0) parts.push(sep); parts.push(x); });
    return Buffer.concat(parts);
  }
  return sep.join(xs);
}

/** `d.items()`: `(key, value)` tuples. */
export function items(d: Any): Tuple[] {
  if (d instanceof Map) return [...d.entries()].map(([k, v]) => tuple_(k, v));
  if (isPlainObject(d)) return Object.entries(d).map(([k, v]) => tuple_(k, v));
  return d.items();
}

/** `d.keys()`. */
export function keys(d: Any): Any[] {
  if (d instanceof Map) return [...d.keys()];
  if (isPlainObject(d)) return Object.keys(d);
  return d.keys();
}

/** `d.values()`. */
export function values(d: Any): Any[] {
  if (d instanceof Map) return [...d.values()];
  if (isPlainObject(d)) return Object.values(d);
  return d.values();
}

/** `d.update(other)` / `s.update(xs)`. */
export function update(d: Any, other: Any): void {
  if (d instanceof Map) for (const [k, v] of items(other instanceof Map || isPlainObject(other) ? other : dict(other))) d.set(k, v);
  else if (d instanceof Set) for (const x of toArray(other)) d.add(x);
  else if (isPlainObject(d)) Object.assign(d, other instanceof Map ? Object.fromEntries(other) : other);
  else d.update(other);
}

/** `d.setdefault(k, default)`. */
export function setdefault(d: Any, k: Any, def: Any = null): Any {
  if (d instanceof Map) {
    if (!d.has(k)) d.set(k, def);
    return d.get(k);
  }
  if (!Object.hasOwn(d, k)) d[k] = def;
  return d[k];
}

/** `xs.copy()`. */
export function copy(x: Any): Any {
  if (x instanceof Tuple) return x;
  if (Array.isArray(x)) return [...x];
  if (x instanceof Dict) return new Dict(x.entries());
  if (x instanceof Map) return new Map(x);
  if (x instanceof Set) return new Set(x);
  if (isPlainObject(x)) return { ...x };
  return x.copy();
}

/** `xs.remove(x)` / `s.remove(x)`. */
export function remove(xs: Any, x: Any): void {
  if (Array.isArray(xs)) {
    const i = xs.findIndex((v) => eq(v, x));
    if (i < 0) throw new ValueError("list.remove(x): x not in list");
    xs.splice(i, 1);
  } else if (xs instanceof Set) {
    if (!xs.delete(x)) throw new KeyError(x);
  } else xs.remove(x);
}

/** `xs.index(x)` / `s.index(sub)`. */
export function index(xs: Any, x: Any): number {
  if (typeof xs === "string") {
    const i = xs.indexOf(x);
    if (i < 0) throw new ValueError("substring not found");
    return i;
  }
  if (Array.isArray(xs)) {
    const i = xs.findIndex((v) => eq(v, x));
    if (i < 0) throw new ValueError(`${repr(x)} is not in list`);
    return i;
  }
  return xs.index(x);
}

/** `xs.count(x)` / `s.count(sub)`. */
export function count(xs: Any, x: Any): number {
  if (typeof xs === "string") return x === "" ? xs.length + 1 : xs.split(x).length - 1;
  if (Array.isArray(xs)) return xs.filter((v) => eq(v, x)).length;
  return xs.count(x);
}

/** `s.upper()` for str and bytes. */
export function upper(s: Any): Any {
  if (s instanceof Uint8Array) return Buffer.from(Buffer.from(s).toString("latin1").toUpperCase(), "latin1");
  return s.toUpperCase();
}

/** `s.lower()` for str and bytes. */
export function lower(s: Any): Any {
  if (s instanceof Uint8Array) return Buffer.from(Buffer.from(s).toString("latin1").toLowerCase(), "latin1");
  return s.toLowerCase();
}

/** `s.replace(old, new[, count])` for str and bytes. */
export function replace(s: Any, old: Any, repl: Any, count = -1): Any {
  if (s instanceof Uint8Array) {
    const l1 = (b: Any) => Buffer.from(b).toString("latin1");
    return Buffer.from(replace(l1(s), l1(old), l1(repl), count), "latin1");
  }
  if (typeof s !== "string") return s.replace(old, repl, count);
  if (count < 0) return s.replaceAll(old, repl);
  let out = s;
  let from = 0;
  for (let i = 0; i < count; i++) {
    const j = out.indexOf(old, from);
    if (j < 0) break;
    out = out.slice(0, j) + repl + out.slice(j + old.length);
    from = j + repl.length;
  }
  return out;
}

/** `s.startswith(prefix)` for str and bytes (a tuple of prefixes too). */
export function startswith(s: Any, prefix: Any): boolean {
  if (Array.isArray(prefix)) return prefix.some((p) => startswith(s, p));
  if (s instanceof Uint8Array) return Buffer.from(s).subarray(0, prefix.length).equals(Buffer.from(prefix));
  return s.startsWith(prefix);
}

/** `s.endswith(suffix)` for str and bytes (a tuple of suffixes too). */
export function endswith(s: Any, suffix: Any): boolean {
  if (Array.isArray(suffix)) return suffix.some((p) => endswith(s, p));
  if (s instanceof Uint8Array) return suffix.length === 0 || Buffer.from(s).subarray(-suffix.length).equals(Buffer.from(suffix));
  return s.endsWith(suffix);
}

/** `s.find(sub)`. */
export function find(s: Any, sub: Any): number {
  if (s instanceof Uint8Array) return Buffer.from(s).indexOf(sub);
  return s.indexOf(sub);
}

/** `s.encode()`: UTF-8 bytes. */
export function encode(s: string, encoding = "utf-8"): Buffer {
  return Buffer.from(s, /^latin-?1$/i.test(encoding) ? "latin1" : /^ascii$/i.test(encoding) ? "ascii" : "utf8");
}

/** `b.decode()`: the UTF-8 text of bytes. */
export function decode(b: Uint8Array, encoding = "utf-8"): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString(/^latin-?1$/i.test(encoding) ? "latin1" : "utf8");
}

function stripWith(s: Any, chars: Any, lead: boolean, trail: boolean): Any {
  if (s instanceof Uint8Array) {
    const text = Buffer.from(s).toString("latin1");
    const c = chars instanceof Uint8Array ? Buffer.from(chars).toString("latin1") : chars;
    return Buffer.from(stripWith(text, c, lead, trail), "latin1");
  }
  if (typeof s !== "string") return s[lead && trail ? "strip" : lead ? "lstrip" : "rstrip"](chars);
  if (chars === null || chars === undefined) return lead && trail ? s.trim() : lead ? s.trimStart() : s.trimEnd();
  let a = 0, b = s.length;
  while (lead && a < b && chars.includes(s[a])) a++;
  while (trail && b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/** `s.strip([chars])` for str and bytes. */
export function strip(s: Any, chars: Any = null): Any {
  return stripWith(s, chars, true, true);
}

/** `s.lstrip([chars])`. */
export function lstrip(s: Any, chars: Any = null): Any {
  return stripWith(s, chars, true, false);
}

/** `s.rstrip([chars])`. */
export function rstrip(s: Any, chars: Any = null): Any {
  return stripWith(s, chars, false, true);
}

/** `s.split(sep=None, maxsplit=-1)` for str and bytes. */
export function split(s: Any, sep: Any = null, maxsplit: Any = -1): Any[] {
  if (isPlainObject(sep)) ({ sep = null, maxsplit = -1 } = sep);
  if (s instanceof Uint8Array) {
    const parts = split(Buffer.from(s).toString("latin1"), sep instanceof Uint8Array ? Buffer.from(sep).toString("latin1") : sep, maxsplit);
    return parts.map((p: string) => Buffer.from(p, "latin1"));
  }
  if (typeof s !== "string") return s.split(sep, maxsplit);
  if (sep === null) {
    const words = s.trim().split(/\s+/).filter((w) => w !== "");
    if (maxsplit < 0 || words.length <= maxsplit) return words;
    const out: string[] = [];
    let rest = s.trimStart();
    for (let i = 0; i < maxsplit; i++) {
      const m = /\s+/.exec(rest)!;
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    out.push(rest);
    return out;
  }
  if (sep === "") throw new ValueError("empty separator");
  const parts = s.split(sep);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)];
}

/** `s.splitlines()`. */
export function splitlines(s: string): string[] {
  const parts = s.split(/\r\n|\r|\n/);
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** `s.isdigit()`. */
export function isdigit(s: string): boolean {
  return /^\d+$/.test(s);
}

/** `s.isalpha()`. */
export function isalpha(s: string): boolean {
  return /^\p{L}+$/u.test(s);
}

/** `s.title()`. */
export function title(s: string): string {
  return s.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase());
}

/** `s.capitalize()`. */
export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

/** `s.zfill(width)`. */
export function zfill(s: string, width: number): string {
  const sign = /^[+-]/.test(s) ? s[0] : "";
  return sign + s.slice(sign.length).padStart(width - sign.length, "0");
}

/** `s.ljust(width[, fill])`. */
export function ljust(s: string, width: number, fill = " "): string {
  return s.padEnd(width, fill);
}

/** `s.rjust(width[, fill])`. */
export function rjust(s: string, width: number, fill = " "): string {
  return s.padStart(width, fill);
}

/** `s.center(width[, fill])`, as CPython pads. */
export function center(s: string, width: number, fill = " "): string {
  const pad = width - s.length;
  if (pad <= 0) return s;
  const left = Math.floor(pad / 2) + (pad & width & 1);
  return fill.repeat(left) + s + fill.repeat(pad - left);
}

// ---- statements ----

/** `raise exc from cause` (`from None`: cause null, the context suppressed). */
export function from_<E>(exc: E, cause: Any): E {
  const e = exc as Any;
  e.__cause__ = cause;
  e.__suppress_context__ = true;
  return exc;
}

/** `assert cond, msg`. */
export function assert_(cond: boolean, msg?: Any): asserts cond {
  if (!cond) throw msg === undefined ? new AssertionError() : new AssertionError(msg);
}

/**
 * One `except* T` clause: the part of `exc` that matches `types` (an exception group, or
 * null) and the rest (null when nothing is left). A bare exception counts as a group of one,
 * as CPython wraps it.
 */
export function split_group(exc: Any, types: Any[]): [Any, Any] {
  if (exc === null) return [null, null];
  if (exc instanceof BaseExceptionGroup) return exc.split(types as never) as [Any, Any];
  if (types.some((t) => exc instanceof t)) return [new ExceptionGroup("", [exc]), null];
  return [null, exc];
}

/** A sync `with cm as x:` block: `__enter__`, the body, `__exit__` (a truthy one suppresses); an async body is awaited first. */
export function with_<R>(cm: Any, body: (value: Any) => R): R | undefined {
  const value = cm.__enter__();
  const fail = (exc: Any) => {
    if (cm.__exit__(exc?.constructor ?? null, exc, null)) return undefined;
    throw exc;
  };
  let result: R;
  try {
    result = body(value);
  } catch (exc) {
    return fail(exc);
  }
  if (result !== null && typeof (result as Any)?.then === "function") {
    return Promise.resolve(result).then((r) => { cm.__exit__(null, null, null); return r; }, fail) as Any;
  }
  cm.__exit__(null, null, null);
  return result;
}

/** `async for x in obj`: obj itself if JavaScript can iterate it, else its `__aiter__`/`__anext__` (StopAsyncIteration ends it). */
export function aiter(obj: Any): AsyncIterable<Any> | Iterable<Any> {
  if (obj !== null && (typeof obj[Symbol.asyncIterator] === "function" || typeof obj[Symbol.iterator] === "function") && typeof obj.__aiter__ !== "function") return obj;
  return {
    [Symbol.asyncIterator]() {
      const it = obj.__aiter__();
      return {
        async next() {
          try {
            return { value: await it.__anext__(), done: false };
          } catch (e) {
            if (e instanceof StopAsyncIteration) return { value: undefined, done: true };
            throw e;
          }
        },
      };
    },
  };
}

/** `functools.partial(f, *args)`. */
export function partial(f: (...a: Any[]) => Any, ...args: Any[]): (...rest: Any[]) => Any {
  return (...rest: Any[]) => f(...args, ...rest);
}

/** What `tulip port --allow-todo` leaves where it could not translate: throws when reached. */
export function todo(what: string): never {
  throw new NotImplementedError(what);
}

// ---- modules ----

/** Python's `errno` module: the error numbers. */
export const errno: Record<string, number> = { ...constants.errno };
/** Python's `signal` module: the signal numbers. */
/** Python's `signal` module: tulip/signal (Linux numbers, `Signals`, `signal()`, `getsignal()`). */
export const signal = _signal;
/** `time.sleep`, exported and threadable so that `to_thread(time.sleep, s)` runs it in a worker thread, as Python does. */
export const _time_sleep = threadable(import.meta.url, function sleep(seconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}, "_time_sleep");
/** Python's `time` module: `time()`, `monotonic()`, `perf_counter()` in seconds, and a blocking `sleep()`. */
export const time = {
  time: (): number => Date.now() / 1000,
  monotonic: (): number => performance.now() / 1000,
  perf_counter: (): number => performance.now() / 1000,
  sleep: _time_sleep,
};
/** Python's `sys`: `argv`, `exit`, `stdout`/`stderr` with `write`, `platform`. */
export const sys = {
  argv: process.argv.slice(1),
  exit: (code: Any = 0): never => {
    if (typeof code === "string") {
      process.stderr.write(code + "\n");
      process.exit(1);
    }
    process.exit(code ?? 0);
  },
  stdout: { write: (s: string): number => { process.stdout.write(s); return s.length; }, flush: (): void => {} },
  stderr: { write: (s: string): number => { process.stderr.write(s); return s.length; }, flush: (): void => {} },
  platform: process.platform,
  executable: process.execPath,
};
/** Python's `os`: `environ` (a plain object: `os.environ.get(k, d)` ports to `get_`), `getpid()`, `getcwd()`. */
export const os = {
  environ: { ...process.env } as Record<string, string>,
  getpid: (): number => process.pid,
  kill: (pid: number, sig: number): void => { process.kill(pid, sig); },
  getcwd: (): string => process.cwd(),
  sep: "/",
};
/**
 * Python's `gc`: `collect()` runs V8's collector when Node was started with `--expose-gc`
 * (else it does nothing) and returns 0, not the number of objects found. Node cannot close a
 * suspended coroutine it collects (no GeneratorExit): its finally block does not run.
 */
export const gc = {
  collect: (_generation?: number): number => {
    (globalThis as { gc?: () => void }).gc?.();
    return 0;
  },
};
/** Python's `statistics`: `mean`, `fmean`, `median`. */
export const statistics = {
  mean: (xs: Any): number => {
    const a = toArray(xs).map(Number);
    if (a.length === 0) throw new (class StatisticsError extends ValueError {})("mean requires at least one data point");
    return a.reduce((x, y) => x + y, 0) / a.length;
  },
  fmean: (xs: Any): number => statistics.mean(xs),
  median: (xs: Any): number => {
    const a = sorted(xs);
    if (a.length === 0) throw new (class StatisticsError extends ValueError {})("no median for empty data");
    const m = Math.floor(a.length / 2);
    return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
  },
};
