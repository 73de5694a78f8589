/**
 * The bridge's type map: msgpack both ways, the same as `py/tulip_bridge/codec.py`.
 *
 * | JavaScript (encode)                          | msgpack                  | Python                     |
 * | -------------------------------------------- | ------------------------ | -------------------------- |
 * | `null`, `undefined`                          | nil                      | `None`                     |
 * | `boolean`                                    | bool                     | `bool`                     |
 * | integral `number` in [-2^63, 2^64)           | int (never float)        | `int`                      |
 * | other `number` (fractions, NaN, ±Infinity, -0)| float64                 | `float`                    |
 * | `bigint` within 64 bits / beyond             | int / ext 1              | `int`                      |
 * | `string`                                     | str                      | `str`                      |
 * | `Uint8Array` (and `Buffer`), `ArrayBuffer`   | bin                      | `bytes`                    |
 * | `Array`                                      | array                    | `list` (tuples arrive as arrays) |
 * | plain object, `Map`                          | map                      | `dict` (array keys: tuples)|
 * | `Date`                                       | timestamp (ext -1)       | aware `datetime` (UTC)     |
 * | `Error`                                      | ext 2 (type, message, traceback) | the same-named exception |
 *
 * Decoding: ints within ±2^53 become `number`, larger ones `bigint`; a map whose keys are all
 * strings becomes a plain object (`__proto__` an own key like any other), any other map a `Map`
 * (Python's `{1: "a"}`, `{(1, 2): 3}`, `{b"k": 1}`: tuple keys arrive as arrays, compared by
 * identity as Map keys are); bin becomes `Buffer`; floats that happen to be integral become plain
 * numbers (JavaScript has one number type). A Map key Python could not hash (a map, an object,
 * an Error, or an array holding one) is refused on the sender.
 * Anything else (functions, symbols, `Set`, typed arrays other than bytes, class instances)
 * is refused on the sender with a `TypeError` that names where it sits in the value.
 *
 * The encoder is our own, not msgpackr's: msgpackr writes integral numbers beyond 32 bits as
 * float64 and has no option to stop it. Decoding uses msgpackr's `Unpackr` (no records,
 * int64 as "auto").
 */
import { Unpackr, addExtension } from "msgpackr";
import { errorInfo, fromErrorInfo, type ErrorInfo } from "./errors.js";

export const EXT_BIGINT = 1;
export const EXT_EXCEPTION = 2;
const EXT_TIMESTAMP = -1;

/** Raised on the sender when a value has no place in the type map. */
export class EncodeError extends TypeError {
  constructor(message: string) {
    super(message);
  }
}
Object.defineProperty(EncodeError.prototype, "name", { value: "TypeError", writable: true, configurable: true });

// ---------------------------------------------------------------- encoding

const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;
const textEncoder = new TextEncoder();

class Writer {
  buf = Buffer.allocUnsafe(256);
  pos = 0;
  reset(): void {
    this.pos = 0;
  }
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.pos++] = v;
  }
  head(v: number, fix: number, fixMax: number, c8: number | null, c16: number, c32: number): void {
    this.room(5);
    const b = this.buf;
    if (v < fixMax) b[this.pos++] = fix | v;
    else if (c8 !== null && v < 0x100) {
      b[this.pos++] = c8;
      b[this.pos++] = v;
    } else if (v < 0x10000) {
      b[this.pos++] = c16;
      b.writeUInt16BE(v, this.pos);
      this.pos += 2;
    } else {
      b[this.pos++] = c32;
      b.writeUInt32BE(v, this.pos);
      this.pos += 4;
    }
  }
  int(v: number): void {
    this.room(9);
    const b = this.buf;
    if (v >= 0) {
      if (v < 0x80) b[this.pos++] = v;
      else if (v < 0x100) (b[this.pos++] = 0xcc), (b[this.pos++] = v);
      else if (v < 0x10000) (b[this.pos++] = 0xcd), b.writeUInt16BE(v, this.pos), (this.pos += 2);
      else if (v < 0x100000000) (b[this.pos++] = 0xce), b.writeUInt32BE(v, this.pos), (this.pos += 4);
      else (b[this.pos++] = 0xcf), b.writeBigUInt64BE(BigInt(v), this.pos), (this.pos += 8);
    } else {
      if (v >= -32) b[this.pos++] = v & 0xff;
      else if (v >= -0x80) (b[this.pos++] = 0xd0), b.writeInt8(v, this.pos), (this.pos += 1);
      else if (v >= -0x8000) (b[this.pos++] = 0xd1), b.writeInt16BE(v, this.pos), (this.pos += 2);
      else if (v >= -0x80000000) (b[this.pos++] = 0xd2), b.writeInt32BE(v, this.pos), (this.pos += 4);
      else (b[this.pos++] = 0xd3), b.writeBigInt64BE(BigInt(v), this.pos), (this.pos += 8);
    }
  }
  float(v: number): void {
    this.room(9);
    this.buf[this.pos++] = 0xcb;
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }
  str(s: string): void {
    // UTF-8 has no lone surrogates: Buffer.write would make each U+FFFD, silently.
    if (!wellFormed(s)) throw new EncodeError(`cannot encode a string with a lone surrogate (U+${loneSurrogate(s)}): msgpack strings are UTF-8`);
    // Short strings: write in place (worst case 3 bytes per UTF-16 unit), then fix the header.
    if (s.length < 0x2000) {
      const max = s.length * 3;
      const headLen = max < 32 ? 1 : max < 0x100 ? 2 : 3;
      this.room(headLen + max);
      const n = this.buf.write(s, this.pos + headLen, "utf8");
      const b = this.buf;
      if (headLen === 1) b[this.pos] = 0xa0 | n;
      else if (headLen === 2) (b[this.pos] = 0xd9), (b[this.pos + 1] = n);
      else (b[this.pos] = 0xda), b.writeUInt16BE(n, this.pos + 1);
      this.pos += headLen + n;
      return;
    }
    this.bytesWithHead(textEncoder.encode(s), 0xa0, 32, 0xd9, 0xda, 0xdb);
  }
  bytesWithHead(data: Uint8Array, fix: number, fixMax: number, c8: number, c16: number, c32: number): void {
    this.head(data.length, fix, fixMax, c8, c16, c32);
    this.room(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }
  ext(type: number, data: Uint8Array): void {
    this.room(6 + data.length);
    const n = data.length;
    const b = this.buf;
    const fixed: Record<number, number> = { 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 };
    if (fixed[n]) b[this.pos++] = fixed[n];
    else if (n < 0x100) (b[this.pos++] = 0xc7), (b[this.pos++] = n);
    else if (n < 0x10000) (b[this.pos++] = 0xc8), b.writeUInt16BE(n, this.pos), (this.pos += 2);
    else (b[this.pos++] = 0xc9), b.writeUInt32BE(n, this.pos), (this.pos += 4);
    b.writeInt8(type, this.pos++);
    b.set(data, this.pos);
    this.pos += n;
  }
}

/** Two's-complement big-endian bytes of a bigint, shortest form (ext 1's payload). */
function bigintBytes(v: bigint): Uint8Array {
  let hex = (v < 0n ? -v : v).toString(16);
  if (hex.length % 2) hex = "0" + hex;
  let bytes: Buffer = Buffer.from(hex, "hex");
  if (v < 0n) {
    // -x in two's complement = ~(x - 1), on one more byte if the top bit would be wrong
    let m = -v - 1n;
    let h = m.toString(16);
    if (h.length % 2) h = "0" + h;
    bytes = Buffer.from(h, "hex").map((x) => 255 - x) as Buffer;
    if (bytes.length === 0 || (bytes[0] & 0x80) === 0) bytes = Buffer.concat([Buffer.from([0xff]), bytes]);
  } else if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return bytes;
}

function bigintFromBytes(data: Uint8Array): bigint {
  if (data.length === 0) return 0n;
  let v = BigInt("0x" + Buffer.from(data).toString("hex"));
  if (data[0] & 0x80) v -= 1n << BigInt(8 * data.length);
  return v;
}

/** Ext 2's payload: three length-prefixed UTF-8 strings (type, message, traceback). */
function exceptionBytes(info: ErrorInfo): Uint8Array {
  const parts = info.map((s) => Buffer.from(String(s), "utf8"));
  const out = Buffer.allocUnsafe(parts.reduce((n, p) => n + 4 + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.writeUInt32BE(p.length, at);
    p.copy(out, at + 4);
    at += 4 + p.length;
  }
  return out;
}

function exceptionFromBytes(data: Uint8Array): Error {
  const b = Buffer.from(data.buffer, data.byteOffset, data.length);
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; i < 3; i++) {
    if (at + 4 > b.length) throw new Error("truncated exception extension");
    const n = b.readUInt32BE(at);
    if (at + 4 + n > b.length) throw new Error("truncated exception extension");
    parts.push(b.toString("utf8", at + 4, at + 4 + n));
    at += 4 + n;
  }
  return fromErrorInfo(parts as ErrorInfo);
}

function timestampBytes(d: Date): Uint8Array {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new EncodeError("cannot encode an invalid Date");
  const sec = Math.floor(ms / 1000);
  const nsec = (ms - sec * 1000) * 1e6;
  const out = Buffer.alloc(12);
  out.writeUInt32BE(nsec, 0);
  out.writeBigInt64BE(BigInt(sec), 4);
  return out;
}

/** `String.prototype.isWellFormed` (Node 20; not in TypeScript's ES2022 lib): no lone surrogates. */
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** The first lone surrogate in `s`, as hex. */
function loneSurrogate(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    else if (c >= 0xd800 && c <= 0xdfff) return c.toString(16).toUpperCase();
  }
  return "?";
}

function kindOf(v: unknown): string {
  if (typeof v === "object" && v !== null) return `an instance of ${v.constructor?.name ?? "a null-prototype class"}`;
  return `a ${typeof v}`;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Whether a Map key decodes in Python as a dict key: scalars, bytes, Dates, arrays of those (tuples there). */
function hashableKey(k: unknown): boolean {
  if (typeof k !== "object" || k === null) return typeof k !== "function" && typeof k !== "symbol";
  if (Array.isArray(k)) return k.every(hashableKey);
  return k instanceof Uint8Array || k instanceof ArrayBuffer || k instanceof Date;
}

const writer = new Writer();

function write(w: Writer, v: unknown, depth: number): void {
  if (depth > 512) throw new EncodeError("value nested too deeply (over 512 levels) or cyclic");
  switch (typeof v) {
    case "undefined":
      return w.u8(0xc0);
    case "boolean":
      return w.u8(v ? 0xc3 : 0xc2);
    case "number":
      if (Number.isInteger(v) && v >= -TWO_63 && v < TWO_64 && !Object.is(v, -0)) return w.int(v);
      return w.float(v);
    case "bigint":
      if (v >= -(2n ** 63n) && v < 2n ** 64n) {
        w.room(9);
        if (v < 0n) (w.buf[w.pos++] = 0xd3), w.buf.writeBigInt64BE(v, w.pos);
        else (w.buf[w.pos++] = 0xcf), w.buf.writeBigUInt64BE(v, w.pos);
        w.pos += 8;
        return;
      }
      return w.ext(EXT_BIGINT, bigintBytes(v));
    case "string":
      return w.str(v);
    case "object": {
      if (v === null) return w.u8(0xc0);
      if (Array.isArray(v)) {
        w.head(v.length, 0x90, 16, null, 0xdc, 0xdd);
        for (let i = 0; i < v.length; i++) write(w, v[i], depth + 1);
        return;
      }
      if (v instanceof Uint8Array) return w.bytesWithHead(v, 0, 0, 0xc4, 0xc5, 0xc6);
      if (v instanceof ArrayBuffer) return w.bytesWithHead(new Uint8Array(v), 0, 0, 0xc4, 0xc5, 0xc6);
      if (v instanceof Date) return w.ext(EXT_TIMESTAMP, timestampBytes(v));
      if (v instanceof Error) return w.ext(EXT_EXCEPTION, exceptionBytes(errorInfo(v)));
      if (v instanceof Map) {
        w.head(v.size, 0x80, 16, null, 0xde, 0xdf);
        for (const [k, x] of v) {
          if (!hashableKey(k)) throw new EncodeError(`cannot encode a map key that is ${kindOf(k)} (Python's dict keys must be hashable: no maps, objects or errors, in arrays neither)`);
          write(w, k, depth + 1);
          write(w, x, depth + 1);
        }
        return;
      }
      if (isPlainObject(v)) {
        const keys = Object.keys(v);
        w.head(keys.length, 0x80, 16, null, 0xde, 0xdf);
        for (const k of keys) {
          w.str(k);
          write(w, (v as Record<string, unknown>)[k], depth + 1);
        }
        return;
      }
      throw new EncodeError(`cannot encode ${kindOf(v)}`);
    }
    default:
      throw new EncodeError(`cannot encode ${kindOf(v)}`);
  }
}

/** Where the first unencodable part of `v` sits, as a JS path (`args[1].x`), for the error. */
function findBadPath(v: unknown, path: string, seen: Set<unknown>): string | null {
  if (typeof v === "string") return wellFormed(v) ? null : path;
  if (v === null || ["undefined", "boolean", "number", "bigint"].includes(typeof v)) return null;
  if (typeof v !== "object") return path;
  if (seen.has(v)) return path;
  seen.add(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = findBadPath(v[i], `${path}[${i}]`, seen);
      if (p) return p;
    }
    return null;
  }
  if (v instanceof Uint8Array || v instanceof ArrayBuffer || v instanceof Error) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? path : null;
  if (v instanceof Map) {
    for (const [k, x] of v) {
      const p = findBadPath(k, `${path}<key>`, seen) ?? findBadPath(x, `${path}.get(${String(k)})`, seen);
      if (p) return p;
    }
    return null;
  }
  if (!isPlainObject(v)) return path;
  for (const [k, x] of Object.entries(v)) {
    if (!wellFormed(k)) return `${path}<key>`;
    const p = findBadPath(x, `${path}.${k}`, seen);
    if (p) return p;
  }
  return null;
}

/**
 * Encodes one value. The returned buffer is a fresh copy (safe to keep or hand to a socket).
 * Throws {@link EncodeError} naming the offending part (`label` is the value's name in it).
 */
export function encode(v: unknown, label = "value"): Buffer {
  writer.reset();
  try {
    write(writer, v, 0);
  } catch (e) {
    if (e instanceof EncodeError) {
      const where = findBadPath(v, label, new Set());
      throw new EncodeError(`tulip bridge: ${e.message}${where ? ` (at ${where})` : ""}`);
    }
    throw e;
  }
  return Buffer.from(writer.buf.subarray(0, writer.pos));
}

// ---------------------------------------------------------------- decoding

addExtension({ type: EXT_BIGINT, unpack: (data: Uint8Array) => bigintFromBytes(data) } as never);
addExtension({ type: EXT_EXCEPTION, unpack: (data: Uint8Array) => exceptionFromBytes(data) } as never);

// Maps decode as Maps, then each whose keys are all strings becomes a plain object (fromWire):
// msgpackr's objects would turn 1 into "1", refuse an array key and rename "__proto__".
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: false, int64AsType: "auto" as "bigint" });

/** A decoded value with its string-keyed Maps made plain objects (in place where it can). */
function fromWire(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === "object" && x !== null) v[i] = fromWire(x);
    }
    return v;
  }
  if (!(v instanceof Map)) return v;
  let stringKeys = true;
  for (const k of v.keys()) {
    if (typeof k !== "string") {
      stringKeys = false;
      break;
    }
  }
  if (!stringKeys) {
    const m = new Map<unknown, unknown>();
    for (const [k, x] of v) m.set(fromWire(k), fromWire(x));
    return m;
  }
  const o: Record<string, unknown> = {};
  for (const [k, x] of v as Map<string, unknown>) {
    if (k === "__proto__") Object.defineProperty(o, k, { value: fromWire(x), enumerable: true, writable: true, configurable: true });
    else o[k] = fromWire(x);
  }
  return o;
}

/**
 * Decodes consecutive values, handing each to `each` with its encoded size. At the first value
 * that does not decode, returns where it starts and the error; null when all decoded.
 */
export function decodeMany(data: Uint8Array, each: (v: unknown, size: number) => void): { at: number; error: unknown } | null {
  let at = 0;
  try {
    unpackr.unpackMultiple(data as Buffer, (v: unknown, start?: number, end?: number) => {
      at = end ?? 0;
      each(fromWire(v), (end ?? 0) - (start ?? 0));
    });
  } catch (error) {
    return { at, error };
  }
  return null;
}

/** Decodes one value; throws on malformed or truncated input. */
export function decode(data: Uint8Array): unknown {
  return fromWire(unpackr.unpack(data));
}
