/** Python-style reprs for messages and debugging (format_helpers.py and repr()). */

/** Python's repr() of a value, as far as JavaScript values map to Python ones. */
export function repr(v: unknown, depth = 0): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "string") return pyStr(v);
  if (typeof v === "number") return Number.isInteger(v) || !Number.isFinite(v) ? numRepr(v) : String(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "function") return `<function ${v.name || "<lambda>"}>`;
  if (depth > 3) return "...";
  if (Array.isArray(v)) return "[" + v.map((x) => repr(x, depth + 1)).join(", ") + "]";
  if (v instanceof Uint8Array) return "b" + pyStr(Buffer.from(v).toString("latin1"));
  if (v instanceof Error) {
    const args = (v as { args?: unknown[] }).args ?? (v.message ? [v.message] : []);
    return `${v.name}(${args.map((a) => repr(a, depth + 1)).join(", ")})`;
  }
  // An object already being shown, further up (a handle whose arguments hold objects that hold
  // handles, as a TLS handshake's do): "...", as reprlib.recursive_repr says it. A toString
  // starts its own repr calls at depth 0, so the depth bound alone would not end the cycle.
  if (_inRepr.has(v as object)) return "...";
  _inRepr.add(v as object);
  try {
    const own = (v as object).toString;
    if (typeof own === "function" && own !== Object.prototype.toString) return String(v);
    return "{" + Object.entries(v as object).map(([k, x]) => `${pyStr(k)}: ${repr(x, depth + 1)}`).join(", ") + "}";
  } finally {
    _inRepr.delete(v as object);
  }
}

const _inRepr = new Set<object>();

function numRepr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  return String(n);
}

function pyStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}

/** The name Python would show for a callable. */
export function callableName(fn: unknown): string {
  if (typeof fn !== "function") return repr(fn);
  const name = (fn as { __qualname__?: string }).__qualname__ ?? fn.name;
  return (name || "<lambda>").replace(/^bound /, "");
}

/** `cb(arg1, arg2)`, as format_helpers._format_callback_source shows a handle's callback. */
export function formatCallbackSource(fn: unknown, args: readonly unknown[] | null): string {
  // Symbols are tulip's internal markers (a task step's "no exception"), not arguments a user passed.
  const shown = (args ?? []).filter((a) => typeof a !== "symbol");
  return `${callableName(fn)}(${shown.map((a) => repr(a)).join(", ")})`;
}

/** The caller's stack (debug mode's `_source_traceback`), without the frames of tulip itself. */
export function extractStack(): string[] {
  const stack = new Error().stack ?? "";
  return stack
    .split("\n")
    .slice(1)
    .map((l) => l.trim().replace(/^at /, ""))
    .filter((l) => !/[/\\](dist|ts)[/\\](asyncio|contextvars)/.test(l));
}
