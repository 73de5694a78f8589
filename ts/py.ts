/**
 * The Python built-ins that ported asyncio code keeps needing, as CPython prints: `repr()`,
 * `str()`, `print()` and `tuple()`.
 *
 *   import { print, repr, str, tuple } from "tulip/py";
 *   print("Received", repr("it's"), "from", tuple(writer.get_extra_info("peername")));
 *   // Received "it's" from ('127.0.0.1', 50412)
 *
 * JavaScript values read as their Python counterparts: `null`/`undefined` None, booleans
 * True/False, integral numbers ints, other numbers floats (`repr(0.1)` is `0.1`; `1.0` is
 * `1`, JavaScript cannot tell them apart), strings `str` (quoted and escaped as CPython
 * does), `Uint8Array`/`Buffer` `bytes` (`b'GET /\r\n'`), arrays lists, {@link tuple}s tuples
 * (`(1,)` for one item), `Set`s sets, plain objects and `Map`s dicts, exceptions
 * `ValueError('x')`, and tulip's objects (Future, Task, Queue, handles…) their own repr.
 */
import { BaseException, _exc_str } from "./asyncio/exceptions.js";

const TUPLE = Symbol("tulip.py.tuple");

/** A tuple: a frozen array that `repr()`/`str()` show in parentheses, as Python shows a tuple. */
export type Tuple<T = unknown> = readonly T[] & { readonly [TUPLE]: true };

/** Python's `tuple(iterable)`: `tuple(sock.getsockname())` prints `('127.0.0.1', 8888)`. */
export function tuple<T>(items: Iterable<T> = []): Tuple<T> {
  const t = [...items] as T[] & { [TUPLE]: true };
  Object.defineProperty(t, TUPLE, { value: true });
  return Object.freeze(t) as Tuple<T>;
}

/** Whether `x` was made by {@link tuple}. */
export function isTuple(x: unknown): x is Tuple {
  return Array.isArray(x) && (x as { [TUPLE]?: true })[TUPLE] === true;
}

/** Python's `repr(x)`. */
export function repr(x: unknown): string {
  return reprIn(x, new Set());
}

/**
 * Python's `str(x)`: a string itself, an exception's message (`str(e)`: for exception groups
 * with the sub-exception count), anything else its {@link repr}.
 */
export function str(x: unknown): string {
  if (typeof x === "string") return x;
  if (x instanceof BaseException) return x.__str__();
  if (x instanceof Error) return _exc_str(x);
  return repr(x);
}

/** Python's `print(*values)`: their `str()`s joined by spaces, on one line of stdout. */
export function print(...values: unknown[]): void {
  process.stdout.write(values.map(str).join(" ") + "\n");
}

function reprIn(x: unknown, seen: Set<object>): string {
  if (x === null || x === undefined) return "None";
  if (x === true) return "True";
  if (x === false) return "False";
  if (typeof x === "string") return strRepr(x);
  if (typeof x === "number") return numRepr(x);
  if (typeof x === "bigint") return x.toString();
  if (typeof x === "symbol") return x.toString();
  if (typeof x === "function") {
    const name = (x as { __qualname__?: string }).__qualname__ ?? (x.name || "<lambda>");
    return /^class\b/.test(Function.prototype.toString.call(x)) ? `<class '${name}'>` : `<function ${name}>`;
  }
  const obj = x as object;
  if (x instanceof Uint8Array) return bytesRepr(x);
  const own = (obj as { __repr__?: () => string }).__repr__;
  if (typeof own === "function") return own.call(obj);
  if (seen.has(obj)) return Array.isArray(obj) ? "[...]" : "{...}";
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      const items = obj.map((v) => reprIn(v, seen));
      if (!isTuple(obj)) return `[${items.join(", ")}]`;
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
    }
    if (obj instanceof Error) {
      const args = (obj as { args?: unknown[] }).args ?? (obj.message ? [obj.message] : []);
      return `${obj.name}(${args.map((a) => reprIn(a, seen)).join(", ")})`;
    }
    if (obj instanceof Map) return `{${[...obj].map(([k, v]) => `${reprIn(k, seen)}: ${reprIn(v, seen)}`).join(", ")}}`;
    if (obj instanceof Set) return obj.size === 0 ? "set()" : `{${[...obj].map((v) => reprIn(v, seen)).join(", ")}}`;
    const proto = Object.getPrototypeOf(obj);
    if (proto === Object.prototype || proto === null) {
      return `{${Object.entries(obj).map(([k, v]) => `${strRepr(k)}: ${reprIn(v, seen)}`).join(", ")}}`;
    }
    // tulip's objects (Future, Task, Handle, Server…) give their Python repr as toString().
    if (typeof (obj as { toString?: unknown }).toString === "function" && (obj as object).toString !== Object.prototype.toString) return String(obj);
    return `<${proto?.constructor?.name ?? "object"} object>`;
  } finally {
    seen.delete(obj);
  }
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

/** Python's `bytes.__repr__`. */
function bytesRepr(b: Uint8Array): string {
  const hasSingle = b.includes(0x27);
  const q = hasSingle && !b.includes(0x22) ? '"' : "'";
  let out = "b" + q;
  for (const c of b) {
    const ch = String.fromCharCode(c);
    if (ch === q || ch === "\\") out += "\\" + ch;
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c < 0x20 || c >= 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + q;
}
