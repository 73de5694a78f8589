/**
 * Base implementation of the event loop: the ready queue, the timer heap, _run_once, the
 * run_* methods and the exception handler (base_events.py).
 *
 * How it runs on Node (DESIGN.md, "The one hard problem"): iterations run back to back in
 * microtasks. A handle that steps a task whose coroutine is an async function does not
 * finish synchronously: the loop waits — in microtasks — until the task reports that the
 * coroutine suspended (on a Future, a bare yield, or a foreign promise) or finished, and
 * only then runs the next handle. The report calls `_stepReported`, which carries on with
 * the batch from that very microtask (a trampoline: no promise per step). I/O is polled by
 * a macrotask hop when nothing is ready and every IO_POLL_EVERY iterations otherwise.
 */
import { Context } from "../contextvars.js";
import { AbstractEventLoop, Handle, TimerHandle, _get_running_loop, _set_running_loop } from "./events.js";
import { NotImplementedError, RuntimeError, _isSystemExiting } from "./exceptions.js";
import { repr } from "./format_helpers.js";
import { heapify, heappop, heappush } from "./_heapq.js";
import { Deque } from "./_deque.js";
import { logger } from "./log.js";
import { popOptions } from "./_options.js";
import * as coroutines from "./coroutines.js";
import type { AwaitableLike, CoroutineLike } from "./coroutines.js";
import type { Future } from "./futures.js";
import type { Task } from "./tasks.js";
import { Executor } from "../concurrent/_base.js";
import { _Pool } from "../concurrent/_pool.js";
import { ThreadPoolExecutor } from "../concurrent/thread.js";

export const __all__ = ["BaseEventLoop"] as const;

/** Timers beyond this count are purged in one pass when most are cancelled (CPython's numbers). */
const _MIN_SCHEDULED_TIMER_HANDLES = 100;
const _MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5;
/** A busy loop still polls I/O (one macrotask turn) at least this often. */
const IO_POLL_EVERY = 32;
/** CPython's MAXIMUM_SELECT_TIMEOUT (one day). */
const MAXIMUM_SELECT_TIMEOUT = 24 * 3600;
/** I/O wakes that each brought one event before the loop stops waking in the check phase (_wakeForIO). */
const SINGLE_WAKES = 8;
/** Then every this many I/O wakes, the check phase is tried again, to see whether events come in batches. */
const PROBE_EVERY = 64;
/** A settled promise: `RESOLVED.then(fn)` queues fn as a microtask. */
const RESOLVED = Promise.resolve();

const timerLt = (a: TimerHandle, b: TimerHandle) => a._when < b._when;

export type ExceptionHandler = (loop: BaseEventLoop, context: Record<string, unknown>) => void;
export type TaskFactory = (loop: BaseEventLoop, coro: CoroutineLike<unknown>, options?: { context?: Context | null }) => Future<unknown>;

type CallOptions = { context?: Context | null };
const CALL_KW = ["context"] as const;

/** Where `create_task` is given a class that builds tasks (set once by tasks.ts; avoids an import cycle). */
let TaskClass: (new (coro: unknown, opts: { loop: BaseEventLoop; name?: string | null; context?: Context | null }) => Task<unknown>) | null = null;
let FutureClass: (new (opts: { loop: BaseEventLoop }) => Future<unknown>) | null = null;
let ensureFuture: ((x: unknown, opts: { loop: BaseEventLoop }) => Future<unknown>) | null = null;
let wrapFuture: ((f: unknown, opts: { loop: BaseEventLoop }) => Future<unknown>) | null = null;
/** @internal */
export function _registerFutureTypes(f: typeof FutureClass, t: typeof TaskClass, ef: typeof ensureFuture, wf?: typeof wrapFuture): void {
  FutureClass = f;
  TaskClass = t;
  ensureFuture = ef;
  if (wf) wrapFuture = wf;
}

function _run_until_complete_cb(fut: Future<unknown>): void {
  if (!fut.cancelled()) {
    const exc = fut.exception();
    // Issue #22429: run_forever() already finished, no need to stop it.
    if (_isSystemExiting(exc)) return;
  }
  fut.get_loop().stop();
}

/** What the loop's thread sleeps on (Atomics.wait) for the last part of a wait: see _onTimerWake. */
const _SLEEPER = new Int32Array(new SharedArrayBuffer(4));

export class BaseEventLoop extends AbstractEventLoop {
  _timer_cancelled_count = 0;
  _closed = false;
  /** Made by the policy's get_event_loop() on first use, not by new_event_loop() (see Runner.run). */
  _madeImplicitly = false;
  _stopping = false;
  _ready = new Deque<Handle>();
  _scheduled: TimerHandle[] = [];
  _default_executor: unknown = null;
  _current_handle: Handle | null = null;
  _task_factory: TaskFactory | null = null;
  _exception_handler: ExceptionHandler | null = null;
  _debug = false;
  /** Callbacks slower than this (seconds) are logged in debug mode. */
  slow_callback_duration = 0.1;
  _clock_resolution = 1e-9;
  _asyncgens = new Set<AsyncGenerator<unknown>>();
  _asyncgens_shutdown_called = false;
  _executor_shutdown_called = false;

  /** How many _run_once iterations have run (the conformance traces' iteration number). */
  _iteration = 0;
  /** The task whose step is in progress: the loop waits for its report before the next handle. */
  _stepping: Task<unknown> | null = null;

  private _running = false;
  private _inBatch = false;
  private _ntodo = 0;
  private _suspended = false;
  /** A foreign-await check is queued for the end of this microtask drain. */
  private _checkQueued = false;
  private _sinceIO = 0;
  private _idle = false;
  private _wakeTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the current timer wait ends (loop.time()): see _wait. */
  private _wakeAt = 0;
  /** A pending check-phase wake (_pollIO, or I/O that found the loop idle). */
  private _wakeImmediate: ReturnType<typeof setImmediate> | null = null;
  private _keepAlive: ReturnType<typeof setInterval> | null = null;
  private _runResolve: (() => void) | null = null;
  private _runReject: ((e: unknown) => void) | null = null;
  private _stepStart = 0;
  private _stepHandle: Handle | null = null;
  private readonly _driveBound = () => this._drive();
  private readonly _wakeBound = () => this._onWake();
  private readonly _timerWakeBound = () => this._onTimerWake();
  private readonly _ioWakeBound = () => this._onIOWake();
  /** Handles I/O added since the last I/O wake was scheduled; wakes in a row that brought one. */
  private _ioQueued = 0;
  private _singleWakes = 0;
  private _ioWakes = 0;

  override toString(): string {
    return `<${this.constructor.name} running=${this.is_running()} closed=${this.is_closed()} debug=${this.get_debug()}>`;
  }

  // ---- futures and tasks ----

  /** Create a Future object attached to the loop. */
  create_future<T = unknown>(): Future<T> {
    return new FutureClass!({ loop: this }) as Future<T>;
  }

  /** Schedule a coroutine object (or a zero-argument function making one) as a Task. */
  create_task<T>(coro: CoroutineLike<T>, options: { name?: string | null; context?: Context | null } = {}): Task<T> {
    this._check_closed();
    let task: Task<T>;
    if (this._task_factory === null) {
      task = new TaskClass!(coro, { loop: this, name: options.name ?? null, context: options.context ?? null }) as Task<T>;
    } else {
      const f = options.context != null ? this._task_factory(this, coro, { context: options.context }) : this._task_factory(this, coro);
      task = f as Task<T>;
      if (options.name != null && typeof (task as { set_name?: unknown }).set_name === "function") task.set_name(options.name);
    }
    return task;
  }

  set_task_factory(factory: TaskFactory | null): void {
    if (factory !== null && typeof factory !== "function") throw new TypeError("task factory must be a callable or None");
    this._task_factory = factory;
  }

  get_task_factory(): TaskFactory | null {
    return this._task_factory;
  }

  // ---- running and stopping ----

  _check_closed(): void {
    if (this._closed) throw new RuntimeError("Event loop is closed");
  }

  _check_running(): void {
    if (this.is_running()) throw new RuntimeError("This event loop is already running");
    if (_get_running_loop() !== null) throw new RuntimeError("Cannot run the event loop while another loop is running");
  }

  /**
   * Run until stop() is called. Returns a Promise that resolves when the loop stops (Node
   * cannot block its thread, so `loop.run_forever()` is `await loop.run_forever()`).
   */
  run_forever(): Promise<void> {
    try {
      this._check_closed();
      this._check_running();
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<void>((resolve, reject) => {
      this._runResolve = resolve;
      this._runReject = reject;
      this._running = true;
      _set_running_loop(this);
      // CPython blocks in select() when there is nothing to do; a ref'd handle keeps Node
      // from exiting under a loop that is still running.
      this._keepAlive = setInterval(() => {}, 1 << 30);
      this._inBatch = false;
      this._sinceIO = 0;
      this._driveSoon();
    });
  }

  /**
   * Run until the future (or coroutine, wrapped in a Task) is done; resolves to its result
   * or rejects with its exception. A Future result is adopted by the returned Promise, as
   * every JavaScript Promise adopts thenables.
   * tulip: plain async — it runs the loop from outside it, so it starts when called.
   */
  async run_until_complete<T>(future: AwaitableLike<T>): Promise<T> {
    this._check_closed();
    this._check_running();
    const new_task = !coroutines._isFuture(future);
    const fut = ensureFuture!(future, { loop: this }) as Future<T>;
    if (new_task) (fut as unknown as { _log_destroy_pending: boolean })._log_destroy_pending = false;
    fut.add_done_callback(_run_until_complete_cb);
    try {
      await this.run_forever();
    } catch (e) {
      if (new_task && fut.done() && !fut.cancelled()) fut.exception();
      throw e;
    } finally {
      fut.remove_done_callback(_run_until_complete_cb);
    }
    if (!fut.done()) throw new RuntimeError("Event loop stopped before Future completed.");
    return fut.result();
  }

  /** Stop running the event loop: the current iteration finishes, then run_forever's Promise resolves. */
  stop(): void {
    this._stopping = true;
    if (this._idle) this._wakeup();
  }

  is_running(): boolean {
    return this._running;
  }

  is_closed(): boolean {
    return this._closed;
  }

  /** Close the loop: pending callbacks are dropped. The loop must not be running. */
  close(): void {
    if (this.is_running()) throw new RuntimeError("Cannot close a running event loop");
    if (this._closed) return;
    if (this._debug) logger.debug(`Close ${this}`);
    this._closed = true;
    this._ready.clear();
    this._scheduled.length = 0;
    this._executor_shutdown_called = true;
    const executor = this._default_executor as Executor | null;
    if (executor !== null) {
      this._default_executor = null;
      void executor.shutdown({ wait: false });
    }
  }

  /**
   * Register an async generator to be closed by shutdown_asyncgens(). CPython's loop learns
   * of them through sys.set_asyncgen_hooks; JavaScript has no such hook: async generators
   * compiled by tulip's transform register here at their first iteration (coroutines.ts,
   * `_async_generator`), and other code that wants that finalization registers its own.
   */
  _asyncgen_firstiter_hook(agen: AsyncGenerator<unknown>): void {
    if (this._asyncgens_shutdown_called) {
      logger.warning(`asynchronous generator ${agen} was scheduled after loop.shutdown_asyncgens() call`);
    }
    this._asyncgens.add(agen);
  }

  /** Shutdown all active asynchronous generators registered with the loop. */
  async shutdown_asyncgens(): Promise<void> {
    this._asyncgens_shutdown_called = true;
    if (this._asyncgens.size === 0) return;
    const closing = [...this._asyncgens];
    this._asyncgens.clear();
    const results = await Promise.allSettled(closing.map((ag) => ag.return(undefined)));
    results.forEach((r, i) => {
      if (r.status === "rejected") {
        this.call_exception_handler({
          message: `an error occurred during closing of asynchronous generator ${closing[i]}`,
          exception: r.reason,
          asyncgen: closing[i],
        });
      }
    });
  }

  /**
   * Schedule the shutdown of the default executor and wait for it: its queued jobs run, then
   * its workers exit (CPython joins them from a helper thread; here the loop keeps running
   * while the pool's Promise settles). asyncio.run calls it at the end.
   */
  async shutdown_default_executor(): Promise<void> {
    this._executor_shutdown_called = true;
    const executor = this._default_executor as Executor | null;
    if (executor === null) return;
    const future = this.create_future<null>();
    const done = executor instanceof _Pool ? executor._shutdownAsync() : executor.shutdown({ wait: true });
    done.then(
      () => { if (!this.is_closed() && !future.done()) this.call_soon_threadsafe(() => { if (!future.done()) future.set_result(null); }); },
      (e) => { if (!this.is_closed() && !future.done()) this.call_soon_threadsafe(() => { if (!future.done()) future.set_exception(e); }); },
    );
    await future;
  }

  // ---- time and scheduling ----

  /** The loop's monotonic clock, in seconds (a float, as Python's). */
  time(): number {
    return performance.now() / 1000;
  }

  _check_callback(callback: unknown, method: string): void {
    if (typeof callback === "function" ? coroutines.iscoroutinefunction(callback) : coroutines.iscoroutine(callback)) {
      throw new TypeError(`coroutines cannot be used with ${method}()`);
    }
    if (typeof callback !== "function") {
      throw new TypeError(`a callable object was expected by ${method}(), got ${repr(callback)}`);
    }
  }

  /**
   * Arrange for a callback to be called as soon as possible: FIFO, in the next iteration.
   * `call_soon(cb, ...args, { context })`.
   */
  call_soon(callback: (...args: any[]) => unknown, ...args: unknown[]): Handle {
    this._check_closed();
    const opts = popOptions<CallOptions>(args, CALL_KW);
    this._check_callback(callback, "call_soon");
    return this._call_soon(callback, args, opts?.context ?? null);
  }

  _call_soon(callback: (...args: any[]) => unknown, args: unknown[], context: Context | null): Handle {
    return this._schedule(new Handle(callback, args, this, context));
  }

  /** Puts a new handle on _ready: every call_soon comes here (the conformance budget counts it). */
  _schedule<H extends Handle>(handle: H): H {
    this._ready.push(handle);
    if (this._idle) this._wakeup();
    return handle;
  }

  /**
   * Add a Handle to _ready (base_events._add_callback): how I/O events reach the loop. An
   * I/O source keeps one Handle and re-adds it per event, as a selector's reader does.
   */
  _add_callback(handle: Handle): void {
    if (handle._cancelled) return;
    this._ready.push(handle);
    this._ioQueued++;
    if (this._idle) this._wakeForIO();
  }

  /**
   * I/O found the loop idle. Waking in Node's check phase lets the other sockets that Node's
   * poll found ready queue their handles first, and the loop runs them all in one iteration,
   * as CPython's select() hands back every ready socket (1 KiB echo, 50 connections: +8% for
   * protocols, +10% for streams). When each wake brings one event only, the check-phase hop
   * is pure cost (one connection: -3 to -5%), so after SINGLE_WAKES such wakes in a row the
   * loop wakes in a microtask instead, and tries the check phase again after PROBE_EVERY wakes.
   */
  private _wakeForIO(): void {
    this._idle = false;
    this._clearWakeTimer();
    this._ioQueued = 1;
    // Every PROBE_EVERY microtask wakes, check-phase wakes again for SINGLE_WAKES wakes: a
    // run of them, not one, so that a fixed pattern of events (a, b, a, b…) cannot make every
    // probe land on the same event.
    if (this._singleWakes >= SINGLE_WAKES && ++this._ioWakes % PROBE_EVERY === 0) this._singleWakes = 0;
    if (this._singleWakes < SINGLE_WAKES) this._wakeImmediate = setImmediate(this._ioWakeBound);
    else this._driveSoon();
  }

  private _onIOWake(): void {
    this._singleWakes = this._ioQueued > 1 ? 0 : this._singleWakes + 1;
    this._onWake();
  }

  /**
   * Like call_soon; Node has one thread, so this is call_soon that also wakes a waiting loop
   * (what CPython's self-pipe write does).
   */
  call_soon_threadsafe(callback: (...args: any[]) => unknown, ...args: unknown[]): Handle {
    this._check_closed();
    const opts = popOptions<CallOptions>(args, CALL_KW);
    this._check_callback(callback, "call_soon_threadsafe");
    return this._call_soon(callback, args, opts?.context ?? null);
  }

  /** Arrange for a callback to be called after `delay` seconds. */
  call_later(delay: number, callback: (...args: any[]) => unknown, ...args: unknown[]): TimerHandle {
    if (delay === null || delay === undefined) throw new TypeError("delay must not be None");
    if (typeof delay !== "number") throw new TypeError(`unsupported operand type(s) for +: 'float' and '${typeof delay}'`);
    return this.call_at(this.time() + delay, callback, ...args);
  }

  /** Like call_later(), but uses an absolute time (in the loop's time() units). */
  call_at(when: number, callback: (...args: any[]) => unknown, ...args: unknown[]): TimerHandle {
    if (when === null || when === undefined) throw new TypeError("when cannot be None");
    if (typeof when !== "number") throw new TypeError(`'<' not supported between instances of '${typeof when}' and 'float'`);
    this._check_closed();
    const opts = popOptions<CallOptions>(args, CALL_KW);
    this._check_callback(callback, "call_at");
    const timer = new TimerHandle(when, callback, args, this, opts?.context ?? null);
    heappush(this._scheduled, timer, timerLt);
    timer._scheduled = true;
    if (this._idle) this._wakeup();
    return timer;
  }

  /** Notification that a TimerHandle has been cancelled. */
  _timer_handle_cancelled(handle: TimerHandle): void {
    if (handle._scheduled) this._timer_cancelled_count += 1;
  }

  // ---- executors and threads ----

  /**
   * Run `func(...args)` in `executor` (null: the loop's default ThreadPoolExecutor, made at
   * the first use) and return an asyncio Future for its result. `func` crosses to the worker
   * by its module and export name (tag it with `threadable(import.meta.url, func)` from
   * tulip/concurrent), its arguments by structured clone. Cancelling the Future cancels a job
   * that has not started; a running one runs to its end, as in CPython. An executor that is
   * not a concurrent.futures Executor but has `submit(func, ...args)` returning a thenable
   * (a worker pool of your own) works too.
   */
  run_in_executor<T>(executor: Executor | { submit(fn: (...a: any[]) => T, ...args: unknown[]): PromiseLike<T> } | null, func: (...a: any[]) => T | PromiseLike<T>, ...args: unknown[]): Future<Awaited<T>> {
    this._check_closed();
    if (this._debug) this._check_callback(func, "run_in_executor");
    if (executor === null || executor === undefined) {
      this._check_default_executor();
      if (this._default_executor === null) {
        this._default_executor = new ThreadPoolExecutor({ thread_name_prefix: "asyncio" });
      }
      executor = this._default_executor as ThreadPoolExecutor;
    }
    if (executor instanceof Executor) {
      return wrapFuture!(executor.submit(func, ...args), { loop: this }) as Future<Awaited<T>>;
    }
    const fut = this.create_future<Awaited<T>>();
    Promise.resolve((executor as { submit(fn: unknown, ...args: unknown[]): PromiseLike<T> }).submit(func, ...args)).then(
      // After close() nothing would run the future's callbacks (as wrap_future).
      (v) => { if (!fut.done() && !this._closed) fut.set_result(v as Awaited<T>); },
      (e) => { if (!fut.done() && !this._closed) fut.set_exception(e); },
    );
    return fut;
  }

  /** @internal to_thread's submit: the default executor, with the caller's context carried over. */
  _to_thread(func: (...a: any[]) => unknown, args: unknown[], context: Context): Future<unknown> {
    this._check_closed();
    this._check_default_executor();
    this._default_executor ??= new ThreadPoolExecutor({ thread_name_prefix: "asyncio" });
    const executor = this._default_executor as Executor;
    const cfut = executor instanceof _Pool ? executor._submit(func, args, context, "to_thread()") : executor.submit(func, ...args);
    return wrapFuture!(cfut, { loop: this });
  }

  _check_default_executor(): void {
    if (this._executor_shutdown_called) throw new RuntimeError("Executor shutdown has been called");
  }

  /** Set the executor run_in_executor(null, …) and to_thread use: a ThreadPoolExecutor. */
  set_default_executor(executor: ThreadPoolExecutor): void {
    if (!(executor instanceof ThreadPoolExecutor)) throw new TypeError("executor must be ThreadPoolExecutor");
    this._default_executor = executor;
  }

  // ---- errors ----

  get_exception_handler(): ExceptionHandler | null {
    return this._exception_handler;
  }

  set_exception_handler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== "function") {
      throw new TypeError(`A callable object or None is expected, got ${repr(handler)}`);
    }
    this._exception_handler = handler;
  }

  /** Logs the context as CPython does: the message, then `key: repr(value)` lines, then the traceback. */
  default_exception_handler(context: Record<string, unknown>): void {
    const message = (context.message as string) || "Unhandled exception in event loop";
    const exception = context.exception;
    const log_lines = [message];
    for (const key of Object.keys(context).sort()) {
      if (key === "message" || key === "exception") continue;
      const value = context[key];
      if (key === "source_traceback" || key === "handle_traceback") {
        const tb = (value as string[]).join("\n");
        log_lines.push(`${key === "source_traceback" ? "Object created at" : "Handle created at"} (most recent call last):\n${tb}`);
      } else {
        log_lines.push(`${key}: ${repr(value)}`);
      }
    }
    logger.error(log_lines.join("\n"), exception ?? undefined);
  }

  /** Calls the custom exception handler if set, else the default one; never raises (but SystemExit). */
  call_exception_handler(context: Record<string, unknown>): void {
    if (this._exception_handler === null) {
      try {
        this.default_exception_handler(context);
      } catch (exc) {
        if (_isSystemExiting(exc)) throw exc;
        logger.error("Exception in default exception handler", exc);
      }
    } else {
      try {
        this._exception_handler(this, context);
      } catch (exc) {
        if (_isSystemExiting(exc)) throw exc;
        try {
          this.default_exception_handler({ message: "Unhandled error in exception handler", exception: exc, context });
        } catch (exc2) {
          if (_isSystemExiting(exc2)) throw exc2;
          logger.error("Exception in default exception handler while handling an unexpected error in custom exception handler", exc2);
        }
      }
    }
  }

  get_debug(): boolean {
    return this._debug;
  }

  set_debug(enabled: boolean): void {
    this._debug = enabled;
  }

  // ---- the driver ----

  /**
   * How long to wait for I/O before the next iteration: 0 when something is ready, the time
   * to the first timer, or null (wait for a wake-up) — CPython's select() timeout.
   */
  _select_timeout(): number | null {
    if (this._ready.length > 0 || this._stopping) return 0;
    if (this._scheduled.length > 0) {
      const when = this._scheduled[0]._when;
      return Math.min(Math.max(0, when - this.time()), MAXIMUM_SELECT_TIMEOUT);
    }
    return null;
  }

  /**
   * Wait for I/O or the next timer, then drive again. The virtual-time loop (tulip/testing)
   * overrides this to jump the clock instead of waiting.
   */
  _wait(timeout: number | null): void {
    this._idle = true;
    // Waiting returns to Node's event loop, which polls I/O: the count starts again.
    this._sinceIO = 0;
    if (timeout !== null) {
      // CPython's select(timeout) sleeps the timeout rounded up to whole milliseconds
      // (epoll_wait's unit) from now, never less. setTimeout(ms) counts from libuv's clock,
      // which is truncated to the millisecond and read before this call: it can fire up to
      // 1 ms early (a 1 ms timer then fires at once, or just past a deadline that CPython's
      // wait overshoots). _onTimerWake makes up the difference: the loop wakes when CPython's would.
      const ms = Math.ceil(timeout * 1000);
      this._wakeAt = this.time() + ms / 1000;
      this._wakeTimer = setTimeout(this._timerWakeBound, ms);
    }
  }

  /**
   * The wait's timer fired. Before _wakeAt, Node fired it early: re-checking the timers now
   * would run them sooner than CPython does, or (none due yet) wait a whole extra millisecond
   * for the next setTimeout. Instead the thread sleeps the rest (under a millisecond, as
   * Node fires at most that early; the rare longer rest gets a new timer first), as
   * CPython's thread sleeps in epoll_wait: I/O that arrives in that last stretch waits for
   * its end, where epoll would return at once.
   */
  private _onTimerWake(): void {
    this._wakeTimer = null;
    const rest = (this._wakeAt - this.time()) * 1000;
    if (rest > 1) {
      this._wakeTimer = setTimeout(this._timerWakeBound, Math.floor(rest));
      return;
    }
    if (rest > 0) Atomics.wait(_SLEEPER, 0, 0, rest);
    this._onWake();
  }

  /** A macrotask turn so Node's poll phase delivers I/O, then drive again. */
  _pollIO(): void {
    this._wakeImmediate = setImmediate(this._wakeBound);
  }

  /**
   * Drive from a microtask. A reaction on a settled promise rather than queueMicrotask: Node's
   * queueMicrotask makes an AsyncResource and a closure per call, several times the cost.
   */
  private _driveSoon(): void {
    RESOLVED.then(this._driveBound);
  }

  _wakeup(): void {
    this._idle = false;
    this._clearWakeTimer();
    this._driveSoon();
  }

  private _clearWakeTimer(): void {
    if (this._wakeTimer !== null) {
      clearTimeout(this._wakeTimer);
      this._wakeTimer = null;
    }
  }

  private _onWake(): void {
    this._wakeTimer = null;
    this._wakeImmediate = null;
    this._idle = false;
    // Hop into a microtask: the foreign-await check (process.nextTick) is only exact from there.
    this._driveSoon();
  }

  /** Drop cancelled timers from the heap's top, or all of them when most are cancelled. */
  private _purgeCancelledTimers(): void {
    const sched_count = this._scheduled.length;
    if (sched_count > _MIN_SCHEDULED_TIMER_HANDLES && this._timer_cancelled_count / sched_count > _MIN_CANCELLED_TIMER_HANDLES_FRACTION) {
      const new_scheduled: TimerHandle[] = [];
      for (const handle of this._scheduled) {
        if (handle._cancelled) handle._scheduled = false;
        else new_scheduled.push(handle);
      }
      heapify(new_scheduled, timerLt);
      this._scheduled = new_scheduled;
      this._timer_cancelled_count = 0;
    } else {
      while (this._scheduled.length > 0 && this._scheduled[0]._cancelled) {
        this._timer_cancelled_count -= 1;
        const handle = heappop(this._scheduled, timerLt);
        handle._scheduled = false;
      }
    }
  }

  /** Runs iterations until the loop must wait (for a step report, a timer, or I/O), or stops. */
  _drive(): void {
    if (!this._running) return;
    try {
      for (;;) {
        if (!this._inBatch) {
          // The first half of CPython's _run_once: purge, "select", collect due timers.
          this._purgeCancelledTimers();
          const timeout = this._select_timeout();
          if (timeout !== 0) {
            this._wait(timeout);
            return;
          }
          if (++this._sinceIO >= IO_POLL_EVERY) {
            this._sinceIO = 0;
            this._pollIO();
            return;
          }
          const end_time = this._scheduled.length > 0 ? this.time() + this._clock_resolution : 0;
          while (this._scheduled.length > 0) {
            const handle = this._scheduled[0];
            if (handle._when >= end_time) break;
            heappop(this._scheduled, timerLt);
            handle._scheduled = false;
            this._ready.push(handle);
          }
          this._ntodo = this._ready.length;
          this._inBatch = true;
          this._iteration++;
        }
        if (!this._runBatch()) return;
        this._inBatch = false;
        if (!this._running) return; // the batch's last handle ended the run (_fatal)
        if (this._stopping) {
          this._finishRun(null);
          return;
        }
      }
    } catch (e) {
      // SystemExit/KeyboardInterrupt from a callback, or a bug: end run_forever with it.
      this._inBatch = false;
      this._finishRun(e);
    }
  }

  /** Runs the rest of the current batch; false if it stopped to wait for a task's report. */
  private _runBatch(): boolean {
    const debug = this._debug;
    while (this._ntodo > 0) {
      if (!this._running) return false; // _fatal ended the run
      this._ntodo--;
      const handle = this._ready.shift()!;
      if (handle._cancelled) continue;
      if (debug) {
        this._current_handle = handle;
        this._stepStart = this.time();
      }
      handle._run();
      if (this._stepping !== null) {
        this._suspended = true;
        this._stepHandle = handle;
        // Runs once V8's microtask queue is empty: if the task has not reported by then,
        // its coroutine awaits something foreign (fs, a plain promise), not a Future. One
        // check serves every step of the drain: a step still open when it runs is that one.
        if (!this._checkQueued) {
          this._checkQueued = true;
          process.nextTick(this._foreignCheck, this);
        }
        return false;
      }
      if (debug) this._afterHandle(handle);
    }
    return true;
  }

  private _afterHandle(handle: Handle): void {
    const dt = this.time() - this._stepStart;
    this._current_handle = null;
    if (dt >= this.slow_callback_duration) logger.warning(`Executing ${handle} took ${dt.toFixed(3)} seconds`);
  }

  private _foreignCheck(this: void, loop: BaseEventLoop): void {
    loop._checkQueued = false;
    if (loop._stepping !== null) {
      loop._stepping._stepWentForeign();
      loop._stepping = null;
      loop._resumeAfterStep();
    }
  }

  /** SystemExit or KeyboardInterrupt escaped a coroutine: run_forever ends with it, as in CPython. */
  _fatal(exc: unknown): void {
    if (!this._running) return;
    this._inBatch = false;
    this._stepping = null;
    this._suspended = false;
    this._finishRun(exc);
  }

  /**
   * A stepping task reports that its step ended (suspended or done). The report comes from a
   * microtask (a `then` call, a promise settling), so the batch carries on right here.
   */
  _stepReported(): void {
    this._stepping = null;
    if (this._suspended) {
      this._afterStep();
      this._drive();
    }
  }

  private _afterStep(): void {
    this._suspended = false;
    if (this._debug && this._stepHandle) this._afterHandle(this._stepHandle);
    this._stepHandle = null;
  }

  private _resumeAfterStep(): void {
    this._afterStep();
    // From the nextTick check: hop into a microtask first (see _onWake).
    this._driveSoon();
  }

  private _finishRun(error: unknown): void {
    this._stopping = false;
    this._running = false;
    this._idle = false;
    this._clearWakeTimer();
    if (this._wakeImmediate !== null) clearImmediate(this._wakeImmediate);
    this._wakeImmediate = null;
    if (this._keepAlive !== null) clearInterval(this._keepAlive);
    this._keepAlive = null;
    _set_running_loop(null);
    const resolve = this._runResolve, reject = this._runReject;
    this._runResolve = this._runReject = null;
    if (error !== null) reject?.(error);
    else resolve?.();
  }

  // ---- not available on Node ----

  add_reader(fd: unknown, ..._a: unknown[]): never {
    throw new NotImplementedError(`add_reader(${repr(fd)}): Node.js does not expose readiness of raw file descriptors`);
  }
  remove_reader(_fd: unknown): never {
    throw new NotImplementedError("remove_reader: Node.js does not expose readiness of raw file descriptors");
  }
  add_writer(fd: unknown, ..._a: unknown[]): never {
    throw new NotImplementedError(`add_writer(${repr(fd)}): Node.js does not expose readiness of raw file descriptors`);
  }
  remove_writer(_fd: unknown): never {
    throw new NotImplementedError("remove_writer: Node.js does not expose readiness of raw file descriptors");
  }
  /** Signals are the Node loop's (NodeEventLoop, as CPython's unix loop): a bare BaseEventLoop has none. */
  add_signal_handler(sig: unknown, _callback: (...args: any[]) => unknown, ..._args: unknown[]): void {
    throw new NotImplementedError(`add_signal_handler(${repr(sig)}): ${this.constructor.name} does not handle signals; NodeEventLoop does`);
  }
  remove_signal_handler(sig: unknown): boolean {
    throw new NotImplementedError(`remove_signal_handler(${repr(sig)}): ${this.constructor.name} does not handle signals; NodeEventLoop does`);
  }
}
