/**
 * The conformance trace (spec/README.md, "The trace"): one line per event, values as tagged
 * JSON. Mirrors py/tulip_bridge/trace_format.py; both sides must print identical lines.
 */
import { BaseException, BaseExceptionGroup, BaseProtocol, BaseTransport, CoroutineObject, Handle, Task, _exc_str, isfuture } from "../asyncio/index.js";

/** A Python tuple: an array that the trace tags as `{"tuple": [...]}`. */
export class Tuple<T = unknown> extends Array<T> {
  static of_<T>(items: Iterable<T>): Tuple<T> {
    const t = new Tuple<T>();
    for (const x of items) t.push(x);
    return t;
  }
}

/** Python's '%.4f': round half to even on the exact binary value ('-' on the real clock). */
export function formatTime(t: number | null): string {
  if (t === null) return "-";
  const up = t.toFixed(4); // exact, but rounds ties away from zero
  // A tie at 4 decimals needs t = odd/32 exactly, i.e. exactly 5 decimals ending in 5.
  const five = t.toFixed(5);
  if (five.endsWith("5") && Number(five) === t) {
    const down = five.slice(0, -1);
    if (Number(down[down.length - 1]) % 2 === 0) return down;
  }
  return up;
}

/** Compact JSON as Python's json.dumps(separators=(",", ":"), ensure_ascii=False) writes it. */
export function dumps(value: unknown): string {
  return JSON.stringify(value);
}

export interface Namer {
  label(obj: object): string;
  taskName(task: Task<unknown>): string;
  coroLabel(coro: unknown): string;
}

export function tag(v: unknown, namer: Namer): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number") {
    if (Number.isNaN(v)) return { float: "nan" };
    if (!Number.isFinite(v)) return { float: v > 0 ? "inf" : "-inf" };
    return v;
  }
  if (v instanceof Tuple) return { tuple: [...v].map((x) => tag(x, namer)) };
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("latin1") };
  if (Array.isArray(v)) return v.map((x) => tag(x, namer));
  if (v instanceof Set) {
    return { set: [...v].map((x) => tag(x, namer)).sort((a, b) => cmp(dumps(a), dumps(b))) };
  }
  if (v instanceof Map) return { dict: [...v].map(([k, x]) => [tag(k, namer), tag(x, namer)]) };
  if (v instanceof BaseException || v instanceof Error) {
    const out: Record<string, unknown> = { exc: (v as Error).name, msg: _exc_str(v) };
    if (v instanceof BaseExceptionGroup) out.exceptions = [...(v as BaseExceptionGroup).exceptions].map((e) => tag(e, namer));
    return out;
  }
  if (v instanceof Task) return { task: namer.taskName(v) };
  if (isfuture(v)) return { future: namer.label(v as object) };
  if (v instanceof Handle) return { handle: namer.label(v) };
  if (v instanceof CoroutineObject) return { coro: namer.coroLabel(v) };
  // Transport and protocol classes differ between implementations: named by label.
  if (v instanceof BaseTransport) return { transport: namer.label(v) };
  if (v instanceof BaseProtocol) return { protocol: namer.label(v) };
  if (typeof v === "object") return { obj: (v as object).constructor?.name ?? "object", name: namer.label(v as object) };
  return { obj: typeof v, name: "?" };
}

/** Python sorts str by code point; JavaScript's < compares UTF-16 units (same for BMP text). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
