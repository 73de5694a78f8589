/**
 * What crosses to a worker (a thread or a process) and back.
 *
 * - A function crosses by its module and export name, never by its code: a JavaScript
 *   function closes over the objects of its own thread. `threadable(import.meta.url, fn)`
 *   tags an exported function (or an exception class) with both; the worker imports the
 *   module and calls the export.
 * - Arguments and results cross by structured clone (`v8.serialize`): primitives, plain
 *   objects and arrays, Map, Set, Date, RegExp, ArrayBuffer and typed arrays, Buffers, errors.
 *   Not functions, promises, sockets (a class instance arrives as a plain object, without
 *   its prototype). As direct
 *   arguments, also: a threadable function (it crosses as its reference) and, to a thread,
 *   the event loop (it arrives as a proxy with `call_soon_threadsafe` and
 *   `run_coroutine_threadsafe`).
 * - An exception arrives as the class of the same name with its message: the class tagged
 *   threadable by that name, else tulip's (Python's built-ins, asyncio's, JavaScript's), else
 *   a class made with that name (a subclass of Exception). Its stack ends with the worker's.
 * - Contexts (to_thread): each variable's value crosses when it can be cloned, and the worker
 *   sets it on the ContextVar of the same name that its modules made (a name two of its
 *   variables share crosses to neither).
 */
import { serialize } from "node:v8";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as exc from "../asyncio/exceptions.js";
import { callableName } from "../asyncio/format_helpers.js";
import type { Context } from "../contextvars.js";

/** A function's place: the module's URL and its export's name. */
export interface FnRef {
  module: string;
  name: string;
}

const REF: unique symbol = Symbol.for("tulip.concurrent.threadable");
/** Tagged functions and classes of this thread, by `module#name`: how callbacks and classes coming back are found. */
const registry = new Map<string, unknown>();

const key = (r: FnRef) => `${r.module}#${r.name}`;

/**
 * Mark `fn`, exported by the module at `moduleUrl` (pass `import.meta.url`) as `name`
 * (default: `fn.name`), as able to run in a worker: executors send its module and export
 * name, and the worker imports that module and calls the export. Returns `fn` itself, so
 * `export const fib = threadable(import.meta.url, function fib(n) { … })` works on both
 * sides. An exception class tagged so arrives from workers as itself.
 *
 * The worker imports the module, so its top-level code runs there too: guard the program's
 * entry with `if (isMainModule(import.meta))`, as Python's `if __name__ == "__main__":`.
 */
export function threadable<F extends (...args: any[]) => unknown>(moduleUrl: string, fn: F, name?: string): F;
export function threadable<C extends abstract new (...args: any[]) => unknown>(moduleUrl: string, cls: C, name?: string): C;
export function threadable(moduleUrl: string, fn: any, name?: string): any {
  if (typeof moduleUrl !== "string" || !/^[a-z][a-z0-9+.-]*:/i.test(moduleUrl)) {
    throw new TypeError(`threadable(): the first argument is the module's URL (import.meta.url), got ${String(moduleUrl)}`);
  }
  if (typeof fn !== "function") throw new TypeError(`threadable(): a function or class was expected, got ${typeof fn}`);
  const exportName = name ?? fn.name;
  if (typeof exportName !== "string" || exportName === "") {
    throw new TypeError("threadable(): the function has no name: pass the name it is exported as, threadable(import.meta.url, fn, \"name\")");
  }
  const ref: FnRef = { module: moduleUrl, name: exportName };
  Object.defineProperty(fn, REF, { value: ref, configurable: true });
  registry.set(key(ref), fn);
  return fn;
}

/** The reference of a threadable function, or null. */
export function refOf(fn: unknown): FnRef | null {
  if (typeof fn !== "function") return null;
  return ((fn as unknown as Record<symbol, FnRef | undefined>)[REF]) ?? null;
}

/** This thread's function or class registered under `ref`, if any. */
export function lookup(ref: FnRef): unknown {
  return registry.get(key(ref));
}

/** The reference of `fn`, or a TypeError saying what can cross. */
export function fnRefOrThrow(fn: unknown, what: string): FnRef {
  const ref = refOf(fn);
  if (ref !== null) return ref;
  if (typeof fn !== "function") throw new TypeError(`${what}: a callable was expected, got ${typeof fn}`);
  throw new TypeError(
    `${what}: ${callableName(fn) || "an anonymous function"} cannot cross to a worker: a function crosses by its module and export name, not by its code (a closure's variables stay on this thread). ` +
    "Export it and tag it: export const f = threadable(import.meta.url, function f(...) { ... })",
  );
}

/**
 * Whether `meta` (pass `import.meta`) is the program's entry module on this thread: false in
 * an executor's worker, which imports the module only to find a function. Python's
 * `__name__ == "__main__"` (Node 24's `import.meta.main`).
 */
export function isMainModule(meta: { url: string }): boolean {
  if (_inWorker) return false;
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(fileURLToPath(meta.url)) === realpathSync(entry);
  } catch {
    return false;
  }
}

let _inWorker = false;
/** @internal set by the worker's entry. */
export function _setInWorker(): void {
  _inWorker = true;
}
/** Whether this thread or process is an executor's worker. */
export function _isWorker(): boolean {
  return _inWorker;
}

/** A direct argument that is not a plain value: a function reference or the event loop. */
export type Marker = { "\0tulip": "fn"; ref: FnRef } | { "\0tulip": "loop"; id: number };
export const MARK = "\0tulip";

const WHAT_CROSSES =
  "only structured-cloneable values cross to a worker (primitives, plain objects and arrays, Map, Set, Date, RegExp, ArrayBuffer, typed arrays, errors) — not functions, promises or objects with methods";

function describe(v: unknown): string {
  if (typeof v === "function") return `the function ${callableName(v) || "(anonymous)"}`;
  if (v !== null && typeof v === "object") return `a ${(v as object).constructor?.name ?? "object"}`;
  return typeof v;
}

/**
 * Serializes a job's arguments (a TypeError, at once, naming the argument that cannot
 * cross). `loopId` gives the event loop a marker (threads only; null: it cannot cross).
 */
export function encodeArgs(args: unknown[], what: string, loopId: ((loop: unknown) => number | null) | null): Uint8Array {
  const out = args.map((a, i) => {
    if (typeof a === "function") {
      const ref = refOf(a);
      if (ref === null) fnRefOrThrow(a, `${what}: argument ${i + 1}`);
      return { [MARK]: "fn", ref } as Marker;
    }
    if (loopId !== null && a !== null && typeof a === "object") {
      const id = loopId(a);
      if (id !== null) return { [MARK]: "loop", id } as Marker;
    }
    return a;
  });
  try {
    return serialize(out);
  } catch (e) {
    for (let i = 0; i < out.length; i++) {
      try {
        serialize(out[i]);
      } catch (e2) {
        throw new TypeError(`${what}: argument ${i + 1} (${describe(args[i])}) cannot cross to a worker: ${WHAT_CROSSES} (${(e2 as Error).message})`);
      }
    }
    throw new TypeError(`${what}: the arguments cannot cross to a worker: ${WHAT_CROSSES} (${(e as Error).message})`);
  }
}

/** A thrown value as it crosses back. */
export interface ErrorInfo {
  name: string;
  message: string;
  stack: string;
  ref: FnRef | null;
}

export function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof Error) {
    return { name: e.name || "Error", message: exc._exc_str(e), stack: e.stack ?? "", ref: refOf(e.constructor) };
  }
  return { name: "Exception", message: String(e), stack: "", ref: null };
}

type ErrorClass = { prototype: Error };
const KNOWN: Record<string, ErrorClass> = {};
for (const [name, value] of Object.entries(exc)) {
  if (typeof value !== "function" || !(value.prototype instanceof Error)) continue;
  KNOWN[(value.prototype as Error).name] = value as unknown as ErrorClass;
  void name;
}
for (const cls of [TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, Error]) KNOWN[cls.name] = cls;
const made = new Map<string, ErrorClass>();

/** Registers a class by its Python name for errors coming back (concurrent's own exceptions). */
export function _knownError(cls: ErrorClass): void {
  KNOWN[cls.prototype.name] = cls;
}

/** Rebuilds a worker's exception: the same-named class (see the module's doc), its message, both stacks. */
export function fromErrorInfo(info: ErrorInfo): Error {
  let cls: ErrorClass | undefined;
  if (info.ref !== null) {
    const c = lookup(info.ref);
    if (typeof c === "function" && (c as ErrorClass).prototype instanceof Error) cls = c as ErrorClass;
  }
  cls ??= Object.hasOwn(KNOWN, info.name) ? KNOWN[info.name] : undefined;
  if (cls === undefined) {
    cls = made.get(info.name);
    if (cls === undefined) {
      const named = { [info.name]: class extends exc.Exception {} }[info.name];
      Object.defineProperty(named.prototype, "name", { value: info.name, writable: true, configurable: true });
      made.set(info.name, (cls = named));
    }
  }
  // Not through the constructor: a class's own constructor may take other arguments (and
  // KeyError's would quote the message again); the message is the worker's str(e).
  const e = Object.create(cls.prototype) as Error & { args?: unknown[] };
  Object.defineProperty(e, "message", { value: info.message, writable: true, configurable: true, enumerable: false });
  if (e instanceof exc.BaseException) {
    e.args = [info.message];
    e.__cause__ = null;
    e.__context__ = null;
  }
  const here = new Error().stack?.split("\n").slice(1).join("\n") ?? "";
  const head = info.message ? `${info.name}: ${info.message}` : info.name;
  Object.defineProperty(e, "stack", {
    value: `${head}\n${here}\n--- in the worker ---\n${info.stack}`, writable: true, configurable: true, enumerable: false,
  });
  return e;
}

/** The values of a context that can cross, by variable name (see the module's doc). */
export function encodeContext(ctx: Context | null): [string, unknown][] | null {
  if (ctx === null) return null;
  const out: [string, unknown][] = [];
  for (const [v, value] of ctx.items()) {
    try {
      serialize(value);
      out.push([v.name, value]);
    } catch {
      // a value that cannot be cloned stays behind
    }
  }
  return out.length > 0 ? out : null;
}
