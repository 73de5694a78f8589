/**
 * The pool under ThreadPoolExecutor (worker_threads) and ProcessPoolExecutor (child
 * processes): a FIFO of work items, workers started one per submit while none is idle (up to
 * max_workers, as CPython's _adjust_thread_count), each running one job at a time.
 *
 * A job is RUNNING from the moment a worker takes it: from then on `cancel()` returns false
 * and the job runs to its end, as in CPython; until then it can be cancelled, and a cancelled
 * item is skipped. Workers are unref'd while the pool has nothing to do, so an idle pool does
 * not keep Node alive (CPython joins its idle workers at exit), and ref'd while it has work.
 */
import { deserialize } from "node:v8";
import { BrokenExecutor, Executor, Future, type _Waiter } from "./_base.js";
import { encodeArgs, encodeContext, errorInfo, fnRefOrThrow, fromErrorInfo, lookup, type ErrorInfo, type FnRef } from "./_crossing.js";
import { RuntimeError, ValueError } from "../asyncio/exceptions.js";
import type { Context } from "../contextvars.js";

/** Messages from a worker. */
export type FromWorker =
  | { t: "done"; id: number; ok: true; value: unknown }
  | { t: "done"; id: number; ok: false; error: ErrorInfo }
  | { t: "broken"; error: ErrorInfo }
  | { t: "call_soon"; loop: number; fn: FnRef; args: Uint8Array }
  | { t: "run_coro"; cid: number; loop: number; fn: FnRef; args: Uint8Array };

/** Messages to a worker. */
export type ToWorker =
  | { t: "job"; id: number; fn: FnRef; args: Uint8Array; ctx: [string, unknown][] | null }
  | { t: "coro_done"; cid: number; ok: true; value: unknown }
  | { t: "coro_done"; cid: number; ok: false; cancelled?: true; error: ErrorInfo }
  | { t: "exit" };

/** One worker, as the pool sees it. */
export interface WorkerHandle {
  post(msg: ToWorker): void;
  ref(): void;
  unref(): void;
  /** Reads the replies already sent, synchronously (threads); false where that is impossible. */
  drainSync(handle: (m: FromWorker) => void): boolean;
  /** Ends the worker at once (a broken pool). */
  kill(): void;
}

export interface WorkerEvents {
  message(m: FromWorker): void;
  /** The worker ended; `error` when it failed to start or died. */
  exit(error: unknown | null): void;
}

interface WorkItem {
  future: Future<unknown>;
  fn: FnRef;
  args: Uint8Array;
  ctx: [string, unknown][] | null;
}

interface Slot {
  handle: WorkerHandle;
  job: { id: number; item: WorkItem } | null;
  exited: boolean;
}

type AnyFn = (...args: any[]) => unknown;

/** Where event loops get an id, so a thread can name the loop it calls back into. */
const loopIds = new WeakMap<object, number>();
const loopsById = new Map<number, WeakRef<object>>();
let nextLoopId = 1;

export function _loopId(x: unknown): number | null {
  if (x === null || typeof x !== "object") return null;
  const o = x as { call_soon_threadsafe?: unknown; create_task?: unknown; run_until_complete?: unknown };
  if (typeof o.call_soon_threadsafe !== "function" || typeof o.create_task !== "function" || typeof o.run_until_complete !== "function") return null;
  let id = loopIds.get(x);
  if (id === undefined) {
    id = nextLoopId++;
    loopIds.set(x, id);
    loopsById.set(id, new WeakRef(x));
  }
  return id;
}

export interface PoolOptions {
  initializer?: AnyFn | null;
  initargs?: unknown[];
}

export abstract class _Pool extends Executor implements _Waiter {
  _max_workers: number;
  _shutdown = false;
  _broken: string | false = false;
  _initializer: FnRef | null = null;
  _initargs: Uint8Array | null = null;
  private _queue: WorkItem[] = [];
  private _qhead = 0;
  private _slots: Slot[] = [];
  private _nextJob = 1;
  private _refd = false;
  private _allExited: Promise<void> | null = null;
  private _resolveExited: (() => void) | null = null;

  /** The class's name in messages ("ThreadPoolExecutor"). */
  protected abstract readonly _kindName: string;
  /** What `_broken` says when a worker fails. */
  protected abstract readonly _brokenClass: new (msg: string) => BrokenExecutor;
  /** Starts a worker. */
  protected abstract _spawn(index: number, events: WorkerEvents): WorkerHandle;
  /** Whether the loop can cross as an argument (threads: yes). */
  protected abstract readonly _loopCrosses: boolean;

  constructor(max_workers: number, options: PoolOptions) {
    super();
    if (!Number.isInteger(max_workers)) throw new TypeError(`max_workers must be an integer, got ${String(max_workers)}`);
    if (max_workers <= 0) throw new ValueError("max_workers must be greater than 0");
    this._max_workers = max_workers;
    if (options.initializer !== null && options.initializer !== undefined) {
      if (typeof options.initializer !== "function") throw new TypeError("initializer must be a callable");
      this._initializer = fnRefOrThrow(options.initializer, "initializer");
      this._initargs = encodeArgs(options.initargs ?? [], "initargs", null);
    }
  }

  submit<T>(fn: (...args: any[]) => T | PromiseLike<T>, ...args: unknown[]): Future<Awaited<T>> {
    return this._submit(fn, args, null, "submit()") as Future<Awaited<T>>;
  }

  /** @internal submit with a context to carry (to_thread) and the caller's name for errors. */
  _submit(fn: AnyFn, args: unknown[], ctx: Context | null, what: string): Future<unknown> {
    if (this._broken) throw new this._brokenClass(this._broken);
    if (this._shutdown) throw new RuntimeError("cannot schedule new futures after shutdown");
    const ref = fnRefOrThrow(fn, what);
    const payload = encodeArgs(args, what, this._loopCrosses ? _loopId : null);
    const f = new Future<unknown>();
    f._waiter = this._canWait() ? this : null;
    this._queue.push({ future: f, fn: ref, args: payload, ctx: encodeContext(ctx) });
    this._adjust();
    return f;
  }

  /** Whether a thread can block on this pool's futures (threads: replies read synchronously). */
  protected abstract _canWait(): boolean;

  private _pending(): number {
    return this._queue.length - this._qhead;
  }

  private _takeItem(): WorkItem | null {
    while (this._qhead < this._queue.length) {
      const item = this._queue[this._qhead];
      this._queue[this._qhead++] = undefined as unknown as WorkItem;
      if (this._qhead > 1024 && this._qhead * 2 > this._queue.length) {
        this._queue = this._queue.slice(this._qhead);
        this._qhead = 0;
      }
      if (item.future.set_running_or_notify_cancel()) return item;
    }
    return null;
  }

  /** Hands queued items to idle workers, starts a worker when none is idle, and idles the rest. */
  private _adjust(): void {
    for (const slot of this._slots) {
      if (slot.exited || slot.job !== null) continue;
      if (this._pending() === 0) break;
      const item = this._takeItem();
      if (item === null) break;
      this._start(slot, item);
    }
    if (this._pending() > 0 && this._slots.filter((s) => !s.exited).length < this._max_workers && !this._shutdown) {
      const item = this._takeItem();
      if (item !== null) {
        const slot = this._newSlot();
        this._start(slot, item);
      }
    }
    if (this._shutdown && this._pending() === 0) {
      for (const slot of this._slots) if (!slot.exited && slot.job === null) slot.handle.post({ t: "exit" });
    }
    // Work to do, or workers still to see exit after a shutdown: Node must stay alive for them.
    this._setRef(this._slots.some((s) => s.job !== null) || this._pending() > 0 || (this._shutdown && this._slots.some((s) => !s.exited)));
  }

  private _newSlot(): Slot {
    const index = this._slots.length;
    const slot: Slot = { handle: null as unknown as WorkerHandle, job: null, exited: false };
    slot.handle = this._spawn(index, {
      message: (m) => this._onMessage(slot, m),
      exit: (error) => this._onExit(slot, error),
    });
    if (!this._refd) slot.handle.unref();
    this._slots.push(slot);
    return slot;
  }

  private _start(slot: Slot, item: WorkItem): void {
    const id = this._nextJob++;
    slot.job = { id, item };
    slot.handle.post({ t: "job", id, fn: item.fn, args: item.args, ctx: item.ctx });
  }

  private _setRef(on: boolean): void {
    if (on === this._refd) return;
    this._refd = on;
    for (const slot of this._slots) if (!slot.exited) (on ? slot.handle.ref() : slot.handle.unref());
  }

  /** @internal a message from a worker. */
  _onMessage(slot: Slot, m: FromWorker): void {
    switch (m.t) {
      case "done": {
        const job = slot.job;
        if (job === null || job.id !== m.id) return;
        slot.job = null;
        if (m.ok) job.item.future.set_result(m.value);
        else job.item.future.set_exception(fromErrorInfo(m.error));
        this._adjust();
        return;
      }
      case "broken":
        this._breaks(`A ${this._kindName === "ThreadPoolExecutor" ? "thread" : "process"} initializer failed, the ${this._kindName === "ThreadPoolExecutor" ? "thread" : "process"} pool is not usable anymore`, fromErrorInfo(m.error));
        return;
      case "call_soon":
        this._callSoon(m);
        return;
      case "run_coro":
        this._runCoro(slot, m);
        return;
    }
  }

  private _loop(id: number): { call_soon_threadsafe: (cb: AnyFn, ...a: unknown[]) => unknown; create_task: (c: unknown) => Future<unknown> & { add_done_callback(cb: (f: any) => void): void }; is_closed(): boolean } | null {
    return (loopsById.get(id)?.deref() as any) ?? null;
  }

  private _resolveFn(ref: FnRef): Promise<AnyFn> {
    const here = lookup(ref);
    if (typeof here === "function") return Promise.resolve(here as AnyFn);
    return import(ref.module).then((ns: Record<string, unknown>) => {
      const f = ns[ref.name];
      if (typeof f !== "function") throw new TypeError(`${ref.module} has no function exported as ${ref.name}`);
      return f as AnyFn;
    });
  }

  private _callSoon(m: { loop: number; fn: FnRef; args: Uint8Array }): void {
    const loop = this._loop(m.loop);
    if (loop === null || loop.is_closed()) return;
    const args = deserialize(m.args) as unknown[];
    const here = lookup(m.fn);
    if (typeof here === "function") loop.call_soon_threadsafe(here as AnyFn, ...args);
    else void this._resolveFn(m.fn).then((fn) => { if (!loop.is_closed()) loop.call_soon_threadsafe(fn, ...args); });
  }

  private _runCoro(slot: Slot, m: { cid: number; loop: number; fn: FnRef; args: Uint8Array }): void {
    const reply = (r: { ok: true; value: unknown } | { ok: false; cancelled?: true; error: ErrorInfo }) => {
      if (slot.exited) return;
      try {
        slot.handle.post({ t: "coro_done", cid: m.cid, ...r } as ToWorker);
      } catch (e) {
        slot.handle.post({ t: "coro_done", cid: m.cid, ok: false, error: errorInfo(new TypeError(`the coroutine's result cannot cross to the worker: ${(e as Error).message}`)) });
      }
    };
    const loop = this._loop(m.loop);
    if (loop === null || loop.is_closed()) {
      reply({ ok: false, error: errorInfo(new RuntimeError("Event loop is closed")) });
      return;
    }
    const args = deserialize(m.args) as unknown[];
    this._resolveFn(m.fn).then((fn) => {
      loop.call_soon_threadsafe(() => {
        let task;
        try {
          task = loop.create_task(fn(...args));
        } catch (e) {
          reply({ ok: false, error: errorInfo(e) });
          return;
        }
        task.add_done_callback((t: Future<unknown> & { cancelled(): boolean; exception(): unknown; result(): unknown }) => {
          if (t.cancelled()) reply({ ok: false, cancelled: true, error: errorInfo(new RuntimeError("cancelled")) });
          else if (t.exception() !== null) reply({ ok: false, error: errorInfo(t.exception()) });
          else reply({ ok: true, value: t.result() });
        });
      });
    }, (e) => reply({ ok: false, error: errorInfo(e) }));
  }

  private _onExit(slot: Slot, error: unknown | null): void {
    slot.exited = true;
    const job = slot.job;
    slot.job = null;
    if (job !== null || (error !== null && !this._shutdown)) {
      const kind = this._kindName === "ThreadPoolExecutor" ? "thread" : "process";
      const msg = `A ${kind} in the pool was terminated abruptly while the future was running or pending.`;
      if (job !== null && !job.item.future.done()) {
        const e = new this._brokenClass(msg);
        if (error !== null) (e as { __cause__: unknown }).__cause__ = error;
        job.item.future.set_exception(e);
      }
      this._breaks(msg, error);
    }
    if (this._slots.every((s) => s.exited)) this._resolveExited?.();
    else this._adjust();
  }

  /** The pool cannot go on: every pending future fails with the broken-pool error. */
  private _breaks(msg: string, cause: unknown): void {
    if (this._broken) return;
    this._broken = msg;
    while (this._qhead < this._queue.length) {
      const item = this._queue[this._qhead++];
      if (item.future.set_running_or_notify_cancel()) {
        const e = new this._brokenClass(msg);
        (e as { __cause__: unknown }).__cause__ = cause;
        item.future.set_exception(e);
      }
    }
    this._queue = [];
    this._qhead = 0;
    for (const slot of this._slots) {
      if (slot.job !== null) {
        const e = new this._brokenClass(msg);
        (e as { __cause__: unknown }).__cause__ = cause;
        if (!slot.job.item.future.done()) slot.job.item.future.set_exception(e);
        slot.job = null;
      }
      if (!slot.exited) slot.handle.kill();
    }
  }

  /** @internal blocks this thread until `pred()` holds or `timeout` seconds passed (threads only). */
  _waitSync(pred: () => boolean, timeout: number | null): void {
    const signal = this._signal();
    if (signal === null) return;
    const deadline = timeout === null ? Infinity : performance.now() + timeout * 1000;
    const handle = (slot: Slot) => (m: FromWorker) => this._onMessage(slot, m);
    while (!pred()) {
      const seen = Atomics.load(signal, 0);
      for (const slot of [...this._slots]) if (!slot.exited) slot.handle.drainSync(handle(slot));
      if (pred()) return;
      if (this._slots.every((s) => s.exited || s.job === null) && this._pending() === 0) return; // nothing can change it
      const rest = deadline - performance.now();
      if (rest <= 0) return;
      Atomics.wait(signal, 0, seen, rest === Infinity ? 1000 : Math.min(rest, 1000));
    }
  }

  /** The shared word workers bump after each reply (threads), or null. */
  protected abstract _signal(): Int32Array | null;

  shutdown(options: { wait?: boolean; cancel_futures?: boolean } = {}): Promise<void> {
    const wait = options.wait ?? true;
    this._shutdown = true;
    if (options.cancel_futures) {
      while (this._qhead < this._queue.length) {
        const item = this._queue[this._qhead++];
        item.future.cancel();
      }
      this._queue = [];
      this._qhead = 0;
    }
    this._adjust();
    if (wait) this._waitSync(() => this._slots.every((s) => s.exited || s.job === null) && this._pending() === 0, null);
    return (this._allExited ??= this._slots.every((s) => s.exited)
      ? Promise.resolve()
      : new Promise<void>((resolve) => { this._resolveExited = resolve; }));
  }

  /** @internal shutdown without blocking, resolving once every job is done and every worker gone (asyncio's shutdown_default_executor). */
  _shutdownAsync(): Promise<void> {
    return this.shutdown({ wait: false });
  }
}
