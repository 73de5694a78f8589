/**
 * The entry of an executor's worker, a thread (ThreadPoolExecutor) or a child process
 * (ProcessPoolExecutor): it runs one job at a time — imports the function's module, calls
 * the export with the arguments (in a context holding the variables that crossed), awaits a
 * promise it returns, and sends back the result or the exception (_crossing.ts).
 *
 * In a thread, the event loop that crossed as an argument is a {@link LoopProxy}: its
 * `call_soon_threadsafe(fn, ...args)` schedules `fn` on the loop's thread, and
 * `run_coroutine_threadsafe(fn, ...args)` runs `fn(...args)` there as a task and gives a
 * Future whose `result(timeout)` blocks this thread until the task is done.
 */
import { writeSync } from "node:fs";
import { deserialize } from "node:v8";
import { receiveMessageOnPort, workerData, type MessagePort } from "node:worker_threads";
import { Future } from "./_base.js";
import { CancelledError } from "./_base.js";
import { MARK, _setInWorker, encodeArgs, errorInfo, fnRefOrThrow, fromErrorInfo, type FnRef, type Marker } from "./_crossing.js";
import type { FromWorker, ToWorker } from "./_pool.js";
import { Context, ContextVar, _setVarCreatedHook } from "../contextvars.js";

_setInWorker();

// The ContextVars this worker's modules make, by name (null: a name two of them share).
const vars = new Map<string, ContextVar<unknown> | null>();
_setVarCreatedHook((v) => vars.set(v.name, vars.has(v.name) ? null : v));

const isThread = workerData !== null && typeof workerData === "object" && (workerData as { kind?: string }).kind === "thread";
let post: (m: FromWorker) => void;
let port: MessagePort | null = null;
let wake: Int32Array | null = null;

if (isThread) {
  const data = workerData as { port: MessagePort; signal: SharedArrayBuffer; wake: SharedArrayBuffer };
  port = data.port;
  const signal = new Int32Array(data.signal);
  wake = new Int32Array(data.wake);
  post = (m) => {
    port!.postMessage(m);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  // A Python thread's print goes straight to the process's stdout; a worker thread's would be
  // relayed (later) by the main thread. Write synchronously instead, so the order holds.
  for (const [stream, fd] of [[process.stdout, 1], [process.stderr, 2]] as const) {
    (stream as unknown as { write: unknown }).write = (chunk: string | Uint8Array, enc?: unknown, cb?: unknown) => {
      if (typeof chunk === "string") writeSync(fd, chunk);
      else writeSync(fd, chunk);
      const done = typeof enc === "function" ? enc : cb;
      if (typeof done === "function") process.nextTick(done as () => void);
      return true;
    };
  }
} else {
  post = (m) => process.send!(m);
  process.on("disconnect", () => process.exit(0));
}

const modules = new Map<string, Promise<Record<string, unknown>>>();

function resolveFn(ref: FnRef): Promise<(...a: unknown[]) => unknown> {
  let ns = modules.get(ref.module);
  if (ns === undefined) modules.set(ref.module, (ns = import(ref.module) as Promise<Record<string, unknown>>));
  return ns.then((m) => {
    const f = m[ref.name];
    if (typeof f !== "function") throw new TypeError(`${ref.module} has no function exported as ${ref.name}`);
    return f as (...a: unknown[]) => unknown;
  });
}

let nextCoro = 1;
const coros = new Map<number, Future<unknown>>();

/** The event loop of the thread that owns the pool, as a worker thread sees it. */
export class LoopProxy {
  constructor(readonly _id: number) {}

  /** Schedule `fn(...args)` on the loop's thread (fn crosses by reference: threadable). */
  call_soon_threadsafe(fn: (...args: any[]) => unknown, ...args: unknown[]): void {
    const ref = fnRefOrThrow(fn, "call_soon_threadsafe()");
    post({ t: "call_soon", loop: this._id, fn: ref, args: encodeArgs(args, "call_soon_threadsafe()", null) });
  }

  /**
   * Run `fn(...args)` (a coroutine function, by reference) as a task on the loop; the Future
   * gives its result. (Python passes the coroutine object; one cannot cross, so its function
   * and arguments do.)
   */
  run_coroutine_threadsafe<T>(fn: (...args: any[]) => T | PromiseLike<T>, ...args: unknown[]): Future<Awaited<T>> {
    const ref = fnRefOrThrow(fn, "run_coroutine_threadsafe()");
    const payload = encodeArgs(args, "run_coroutine_threadsafe()", null);
    const cid = nextCoro++;
    const f = new Future<unknown>();
    f.set_running_or_notify_cancel();
    if (port !== null) f._waiter = { _waitSync: waitSync };
    coros.set(cid, f);
    post({ t: "run_coro", cid, loop: this._id, fn: ref, args: payload });
    return f as Future<Awaited<T>>;
  }

  toString(): string {
    return "<event loop of the pool's owner thread>";
  }
}

/** Blocks this worker thread until pred() holds, reading the owner's replies synchronously. */
function waitSync(pred: () => boolean, timeout: number | null): void {
  const deadline = timeout === null ? Infinity : performance.now() + timeout * 1000;
  while (!pred()) {
    const seen = Atomics.load(wake!, 0);
    for (;;) {
      const r = receiveMessageOnPort(port!);
      if (r === undefined) break;
      onMessage(r.message as ToWorker);
    }
    if (pred()) return;
    const rest = deadline - performance.now();
    if (rest <= 0) return;
    Atomics.wait(wake!, 0, seen, rest === Infinity ? undefined : rest);
  }
}

function decodeArgs(buf: Uint8Array): Promise<unknown[]> {
  const args = deserialize(buf) as unknown[];
  return Promise.all(args.map((a) => {
    if (a !== null && typeof a === "object" && MARK in (a as object)) {
      const m = a as Marker;
      if (m[MARK] === "fn") return resolveFn(m.ref);
      if (m[MARK] === "loop") return new LoopProxy(m.id);
    }
    return a;
  }));
}

function contextOf(entries: [string, unknown][] | null): Context | null {
  if (entries === null) return null;
  const ctx = new Context();
  ctx.run(() => {
    for (const [name, value] of entries) vars.get(name)?.set(value);
  });
  return ctx;
}

function describe(v: unknown): string {
  if (typeof v === "function") return "a function";
  if (v !== null && typeof v === "object") return `a ${(v as object).constructor?.name ?? "object"}`;
  return typeof v;
}

function sendDone(id: number, fn: FnRef, ok: boolean, value: unknown): void {
  if (!ok) {
    post({ t: "done", id, ok: false, error: errorInfo(value) });
    return;
  }
  try {
    post({ t: "done", id, ok: true, value });
  } catch (e) {
    post({
      t: "done", id, ok: false,
      error: errorInfo(new TypeError(`the result of ${fn.name} (${describe(value)}) cannot cross back from the worker: only structured-cloneable values cross (${(e as Error).message})`)),
    });
  }
}

let ready: Promise<void> = Promise.resolve();

function init(initializer: FnRef | null, initargs: Uint8Array | null): void {
  if (initializer === null) return;
  ready = (async () => {
    try {
      const fn = await resolveFn(initializer);
      await fn(...(initargs !== null ? await decodeArgs(initargs) : []));
    } catch (e) {
      post({ t: "broken", error: errorInfo(e) });
      throw e;
    }
  })();
  ready.catch(() => {});
}

async function runJob(m: Extract<ToWorker, { t: "job" }>): Promise<void> {
  try {
    await ready;
  } catch {
    return; // the pool is broken: it says so to every future
  }
  try {
    const fn = await resolveFn(m.fn);
    const args = await decodeArgs(m.args);
    const ctx = contextOf(m.ctx);
    let v = ctx !== null ? ctx.run(fn, ...args) : fn(...args);
    if (v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as { then?: unknown }).then === "function") v = await v;
    sendDone(m.id, m.fn, true, v);
  } catch (e) {
    sendDone(m.id, m.fn, false, e);
  }
}

function onMessage(m: ToWorker | { t: "init"; initializer: FnRef | null; initargs: Uint8Array | null }): void {
  switch (m.t) {
    case "init":
      init(m.initializer, m.initargs);
      return;
    case "job":
      void runJob(m);
      return;
    case "coro_done": {
      const f = coros.get(m.cid);
      if (f === undefined) return;
      coros.delete(m.cid);
      if (m.ok) f.set_result(m.value);
      else if (m.cancelled) {
        f._state = "CANCELLED_AND_NOTIFIED";
        (f as unknown as { _invoke_callbacks(): void })._invoke_callbacks();
      } else f.set_exception(fromErrorInfo(m.error));
      return;
    }
    case "exit":
      process.exit(0);
  }
}

void CancelledError;
if (isThread) {
  const data = workerData as { initializer: FnRef | null; initargs: Uint8Array | null };
  init(data.initializer, data.initargs);
  port!.on("message", onMessage);
} else {
  process.on("message", onMessage);
}
