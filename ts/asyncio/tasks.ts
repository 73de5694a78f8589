/**
 * Support for tasks, coroutines and the scheduler (tasks.py).
 *
 * A Task steps its coroutine as CPython's Task.__step does. The coroutine is a generator
 * (stepped synchronously, exactly as `coro.send`/`coro.throw`) or an async function, whose
 * step ends when it reports: its `await` of a pending Future calls `Future.then` (the
 * suspension, credited to the task by the async-local frame), a bare yield (sleep(0)), its
 * promise settling (return/raise), or the loop's check that it waits on something foreign.
 */
import { Context, _currentFrame, _enterFrame, _Frame, _inFrame, _leaveFrame, _setTopLevelFrame, copy_context } from "../contextvars.js";
import { markLog, retagSince } from "../_asynclocal.js";
import { _Handle2, _get_event_loop, _get_running_loop, get_running_loop } from "./events.js";
import {
  type BaseException, CancelledError, InvalidStateError, RuntimeError, TimeoutError, ValueError, _exc_str, _isSystemExiting,
} from "./exceptions.js";
import { Future, _chain_future, _setTaskWakeup, _setSuspendHook, _set_result_unless_cancelled, isfuture, wrap_future } from "./futures.js";
import { Future as CFuture } from "../concurrent/_base.js";
import {
  CoroutineObject, _YieldOnce, type AwaitableLike, type CoroutineLike, type ResultOf, _format_coroutine, _isGenerator, _isThenable, _markCoroutineFunction, _setAwaitCoroutine, _setOrphanHook, coroutine,
  _NOEXC as NOEXC, iscoroutine,
} from "./coroutines.js";
import { callableName, repr } from "./format_helpers.js";
import { BaseEventLoop, _registerFutureTypes } from "./base_events.js";
import { checkOptions, popOptions } from "./_options.js";
import { logger } from "./log.js";

export const __all__ = [
  "Task", "create_task", "FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED", "wait", "wait_for",
  "as_completed", "sleep", "gather", "shield", "ensure_future", "run_coroutine_threadsafe", "current_task",
  "all_tasks", "_register_task", "_unregister_task", "_enter_task", "_leave_task",
] as const;

/** "No exception": a step sends (Python's `exc is None`); any thrown value, even undefined, is an exception. */
type Exc = unknown | typeof NOEXC;
type Resume = (exc: Exc, value?: unknown) => void;
/** The Resume of a task's own generator (Task._callResume): never called itself. */
const RESUME_OWN: Resume = () => {
  throw new Error("unreachable: RESUME_OWN is a marker");
};

let _task_name_counter = 0;
/** The task whose coroutine top-level code started (see Task._adopt). */
let _adopted: Task<unknown> | null = null;

interface DestroyedInfo {
  loop: BaseEventLoop;
  name: string;
  coro: string;
  ref: WeakRef<Task<unknown>>;
}

/**
 * all_tasks() as CPython's WeakSet, made cheap: a new task is held strongly (it is runnable,
 * so the loop holds it anyway) until a sweep — one macrotask turn later — finds it waiting
 * on a future; only then does it get a WeakRef and a finalizer, so that an abandoned task
 * can be collected and reported ("Task was destroyed but it is pending!"). Tasks that finish
 * before the sweep (most of them) never pay for weak references.
 */
const _pending_strong = new Set<Task<unknown>>();
const _pending_weak = new Set<WeakRef<Task<unknown>>>();
let sweepScheduled = false;

const destroyedPending = new FinalizationRegistry<DestroyedInfo>((info) => {
  _pending_weak.delete(info.ref);
  // As CPython's Task.__del__: reported on a closed loop too (a task its loop's close() left pending).
  info.loop.call_exception_handler({
    message: "Task was destroyed but it is pending!",
    task: `<Task pending name='${info.name}' coro=<${info.coro}>>`,
  });
});

function _track(task: Task<unknown>): void {
  _pending_strong.add(task);
  if (!sweepScheduled) {
    sweepScheduled = true;
    setImmediate(_sweep).unref();
  }
}

function _sweep(): void {
  sweepScheduled = false;
  for (const t of _pending_strong) {
    if (t.done()) {
      _pending_strong.delete(t);
    } else if (t._fut_waiter !== null || t._foreign || t._loop.is_closed()) {
      // Waiting, or dropped by its loop's close() (no step will ever run it): only all_tasks()
      // and whoever holds it keep it now.
      _pending_strong.delete(t);
      t._ref = new WeakRef(t);
      _pending_weak.add(t._ref);
      if (t._log_destroy_pending) {
        destroyedPending.register(t, { loop: t._loop, name: t.get_name(), coro: _format_coroutine(t._coro), ref: t._ref }, t);
      }
    }
  }
}

function _untrack(task: Task<unknown>): void {
  if (task._ref === null) {
    _pending_strong.delete(task);
  } else {
    _pending_weak.delete(task._ref);
    destroyedPending.unregister(task);
    task._ref = null;
  }
}

/** The fix for a Future of another loop, in one sentence (str(e) stays CPython's). */
const FOREIGN_LOOP_NOTE =
  "(tulip) A Future belongs to the loop that was running when it was made: create it (or loop.create_future()) " +
  "inside the coroutine that asyncio.run runs, not at module level or in an earlier asyncio.run.";

/**
 * Task.__step as a plain function, so a step's Handle needs no closure per task. A step that
 * tulip scheduled for a task finished meanwhile (a raw plain async body settles on its own,
 * outside the task's steps) is dropped: CPython's "_step(): already done" is an internal
 * error, and the user would read it, after their own error, as a tulip traceback.
 */
function _taskStep(task: Task<unknown>, exc: Exc): void {
  if (task.done()) return;
  task.__step(exc);
}
Object.defineProperty(_taskStep, "__qualname__", { value: "Task.__step" });

/** Task.__wakeup for a tulip Future's done callbacks (Future._add_task_wakeup): no closure per task. */
function _taskWakeup(task: Task<unknown>, future: Future<unknown>): void {
  task._wakeup(future);
}
Object.defineProperty(_taskWakeup, "__qualname__", { value: "Task.task_wakeup" });
_setTaskWakeup(_taskWakeup as (task: unknown, future: Future<unknown>) => void);

/** A coroutine wrapped in a Future. */
export class Task<T = unknown> extends Future<T> {
  _num_cancels_requested = 0;
  _must_cancel = false;
  _fut_waiter: Future<unknown> | null = null;
  _coro: unknown;
  /** Also what makes the task the async-local frame its coroutine runs in (_Frame). */
  readonly _context: Context;
  /** The name, or the number of a default name ("Task-<n>", made when asked for: about 40 bytes a task). */
  private _name: string | number;
  _log_destroy_pending = true;
  /** How the next step continues the coroutine (Python's coro.send / coro.throw). */
  private _resume: Resume | null;
  /** The last step ended with the coroutine awaiting something foreign; it reports by itself. */
  _foreign = false;
  /**
   * How to go on when a generator body waits on a foreign promise (`yield promise`): cancel()
   * throws CancelledError in at once through it, as CPython's await of a wrapped future would,
   * and the promise's outcome is then dropped. Null when the body waits on nothing foreign.
   */
  private _foreignWait: { resume: Resume; aborted: boolean } | null = null;
  /** @internal the task's entry in all_tasks' weak set, once a sweep has moved it there. */
  _ref: WeakRef<Task<unknown>> | null = null;
  private _wakeupCb: ((fut: Future<unknown>) => void) | null = null;
  /** What debug mode saw of the coroutine's stack when it last suspended. */
  private _suspendedAt: string[] | null = null;

  constructor(coro: CoroutineLike<T>, options: { loop?: BaseEventLoop | null; name?: unknown; context?: Context | null } = {}) {
    super({ loop: options.loop ?? null });
    if (!_isCoroLike(coro)) {
      this._log_destroy_pending = false;
      throw new TypeError(`a coroutine was expected, got ${repr(coro)}`);
    }
    this._name = options.name == null ? ++_task_name_counter : String(options.name);
    this._coro = coro;
    if (coro instanceof CoroutineObject) coro._claimed = true;
    this._context = options.context ?? copy_context();
    _track(this as Task<unknown>);
    this._resume = null; // the first step starts the coroutine
    if (coro instanceof Promise) {
      this._adopt(coro);
      return;
    }
    this._loop._schedule(new _Handle2(_taskStep, this, NOEXC, this._loop, this._context));
  }

  protected override _repr_info(): string[] {
    const info = super._repr_info();
    if (this.cancelling() && !this.done()) info[0] = "cancelling";
    info.splice(1, 0, `name='${this.get_name()}'`, `coro=<${_format_coroutine(this._coro)}>`);
    if (this._fut_waiter !== null) info.splice(3, 0, `wait_for=${this._fut_waiter}`);
    return info;
  }

  get_coro(): unknown {
    return this._coro;
  }

  get_context(): Context {
    return this._context;
  }

  /** @internal As a frame (_Frame): the task whose code runs. */
  get _task(): this {
    return this;
  }

  get_name(): string {
    return typeof this._name === "number" ? `Task-${this._name}` : this._name;
  }

  set_name(value: unknown): void {
    this._name = String(value);
  }

  override set_result(_result: T): never {
    throw new RuntimeError("Task does not support set_result operation");
  }

  override set_exception(_exception: unknown): never {
    throw new RuntimeError("Task does not support set_exception operation");
  }

  /**
   * The stack of the coroutine as far as JavaScript can see it: in debug mode, where it last
   * suspended; otherwise the coroutine's own frame only (V8 cannot walk a suspended async
   * function). Strings ("at fn (file:line:col)") rather than Python frame objects.
   */
  get_stack(options: { limit?: number | null } = {}): string[] {
    checkOptions("get_stack", options, ["limit"]);
    let frames: string[];
    if (this.done()) {
      const exc = this._exception;
      frames = exc instanceof Error && exc.stack ? exc.stack.split("\n").slice(1).map((l) => l.trim()) : [];
    } else {
      frames = this._suspendedAt ?? [`in ${_format_coroutine(this._coro)}`];
    }
    const limit = options.limit;
    if (limit != null) frames = limit >= 0 ? frames.slice(-limit || frames.length) : frames.slice(0, -limit);
    return frames;
  }

  /** Print the stack or traceback for this task, in CPython's layout. */
  print_stack(options: { limit?: number | null; file?: { write(s: string): unknown } } = {}): void {
    checkOptions("print_stack", options, ["limit", "file"]);
    const file = options.file ?? process.stderr;
    const frames = this.get_stack({ limit: options.limit ?? null });
    if (frames.length === 0) file.write(`No stack for ${this}\n`);
    else if (this._exception !== null) file.write(`Traceback for ${this} (most recent call last):\n`);
    else file.write(`Stack for ${this} (most recent call last):\n`);
    for (const f of frames) file.write(`  ${f}\n`);
    if (this._exception !== null) {
      const e = this._exception as Error;
      file.write(`${e?.name ?? "Error"}: ${_exc_str(e)}\n`);
    }
  }

  /**
   * Request that this task cancel itself: a CancelledError is thrown into the coroutine at
   * its current suspension point (the Future it awaits is cancelled), or at its next one.
   * Returns false if the task is already done.
   */
  override cancel(msg: unknown = null): boolean {
    this._log_traceback = false;
    if (this.done()) return false;
    this._num_cancels_requested += 1;
    if (this._fut_waiter !== null) {
      if (this._fut_waiter.cancel(msg)) {
        // Leave self._fut_waiter; it may be a Task that catches and ignores the cancellation.
        return true;
      }
    }
    this._must_cancel = true;
    this._cancel_message = msg;
    const w = this._foreignWait;
    if (w !== null && this._fut_waiter === null && this._foreign) {
      // Suspended on a foreign promise and nothing else (no Future reported since): wake up
      // now (its outcome will be dropped), as a cancelled _fut_waiter wakes the task one
      // iteration later.
      w.aborted = true;
      this._foreignWait = null;
      this._resume = w.resume;
      this._loop._schedule(new _Handle2(_taskStep, this, NOEXC, this._loop, this._context));
    }
    return true;
  }

  /** The number of pending cancellation requests (cancel() calls less uncancel() calls). */
  cancelling(): number {
    return this._num_cancels_requested;
  }

  /** Decrement the count of pending cancellation requests; returns the new count. */
  uncancel(): number {
    if (this._num_cancels_requested > 0) this._num_cancels_requested -= 1;
    return this._num_cancels_requested;
  }

  // ---- stepping ----

  /** Task.__step: one step of the coroutine, sending nothing or throwing `exc`. */
  __step(exc: Exc = NOEXC): void {
    if (this.done()) throw new InvalidStateError(`_step(): already done: ${this}, ${exc === NOEXC ? "None" : repr(exc)}`);
    if (this._must_cancel) {
      if (!(exc instanceof CancelledError)) exc = this._make_cancelled_error();
      this._must_cancel = false;
    }
    this._fut_waiter = null;
    this._foreign = false;
    const resume = this._resume;
    this._resume = null;
    this._loop._stepping = this as Task<unknown>;
    markLog();
    const prev = _enterFrame(this);
    try {
      if (resume === null) this._start(exc);
      else this._callResume(resume, exc, undefined);
    } finally {
      _leaveFrame(prev);
    }
  }

  /**
   * Task.__wakeup as a done callback, for a future-like object of another class (a tulip
   * Future takes the task itself: Future._add_task_wakeup).
   */
  get __wakeup(): (future: Future<unknown>) => void {
    return (this._wakeupCb ??= (future: Future<unknown>) => this._wakeup(future));
  }

  /** Task.__wakeup: steps the task once the awaited future is done. */
  _wakeup(future: Future<unknown>): void {
    // Only the future the task waits on may wake it (always so in CPython): a raw plain
    // async function's await wrongly credited to this task must not step it (issue 13).
    if (future !== this._fut_waiter) return;
    let exc: Exc = NOEXC;
    try {
      future.result();
    } catch (e) {
      exc = e; // This may also be a cancellation.
    }
    this.__step(exc);
  }

  /**
   * A called async function is a coroutine that already ran its first step, outside this
   * task (as 3.12's eager tasks do): the task starts out waiting on whatever it awaits, and
   * credits its later awaits by the async-local frame. Called from top-level code (no task,
   * no callback), that code is this coroutine (`asyncio.run(main())`): it runs in this task's
   * frame until the task is done, so current_task() and contextvars see the task.
   */
  private _adopt(body: Promise<unknown>): void {
    if (this._loop._debug) {
      logger.warning(
        `${this}: the coroutine is an async function that already started running when the task was created; ` +
          "its awaits before the first step are credited to the caller. Pass asyncio.coroutine(fn)(...) or () => fn(...) for CPython's order",
      );
    }
    this._foreign = true;
    if (_inFrame()) {
      // Called in another task's step (or a callback): what the body's eager start made —
      // the continuations of its awaits, the `then` calls of the Futures it awaits — moves to
      // this task, so its first await suspends this task, not the caller.
      retagSince(body, this);
    } else if (_adopted === null) {
      _adopted = this as Task<unknown>;
      _setTopLevelFrame(this);
    }
    body.then((v) => this._settledAfterClose(() => this._coroReturned(v)), (e) => this._settledAfterClose(() => this._coroRaised(e)));
  }

  /**
   * An adopted body settles by itself, possibly after its loop closed (CPython's tasks only
   * finish in a step of their running loop): the task is done all the same, and the done
   * callbacks it cannot schedule are dropped, as close() drops the rest, rather than thrown
   * into a promise reaction, where Node would end the process.
   */
  private _settledAfterClose(finish: () => void): void {
    try {
      finish();
    } catch (e) {
      if (!(e instanceof RuntimeError && this._loop.is_closed())) throw e;
    }
  }

  /** The first step: start the coroutine (call it, if lazy) and run it to its first suspension. */
  _start(exc: Exc): void {
    if (exc !== NOEXC) {
      // Python: coro.throw(exc) on a coroutine that never ran raises exc at once.
      if (this._coro instanceof CoroutineObject) this._coro.close();
      this._coroRaised(exc);
      return;
    }
    let body: unknown;
    try {
      body = _startBody(this._coro);
    } catch (e) {
      this._coroRaised(e);
      return;
    }
    if (_isGenerator(body)) {
      this._driveGen(body, NOEXC, undefined, null, null);
    } else {
      (body as Promise<unknown>).then((v) => this._coroReturned(v), (e) => this._coroRaised(e));
    }
  }

  /**
   * Steps a generator (the task's own coroutine, or one awaited inline by an async function)
   * until it yields; `onReturn`/`onRaise` receive its outcome (null: the task's own).
   */
  _driveGen(gen: Generator, exc: Exc, value: unknown, onReturn: ((v: any) => unknown) | null, onRaise: ((e: unknown) => unknown) | null): void {
    let r: IteratorResult<unknown>;
    try {
      r = exc !== NOEXC ? gen.throw(exc) : gen.next(value);
    } catch (e) {
      if (onRaise === null) this._coroRaised(e);
      else onRaise(e);
      return;
    }
    if (r.done) {
      if (onReturn === null) this._coroReturned(r.value);
      else onReturn(r.value);
      return;
    }
    // The task's own generator resumes through a marker, not a closure (one per suspension
    // cost a sleep(0) step ~100 bytes; one per task, ~100 bytes of every pending task).
    const resume: Resume = onReturn === null && onRaise === null
      ? this._resumeOwn(gen)
      : (exc2, value2) => this._driveGen(gen, exc2, value2, onReturn, onRaise);
    const y = r.value;
    if (_isThenable(y) && !isfuture(y) && !(y instanceof CoroutineObject)) {
      // A native promise yielded by a generator coroutine: awaited within this step, as an
      // async function's `await` of a promise is; cancel() may wake the task first.
      // (Nested generators driven inline may each wait on a promise: the innermost is the one
      // a cancellation wakes.)
      const w = (this._foreignWait = { resume, aborted: false });
      const settle = (exc: Exc, v?: unknown) => {
        if (w.aborted) return; // cancelled meanwhile: the outcome is dropped
        if (this._foreignWait === w) this._foreignWait = null;
        this._callResume(resume, exc, v);
      };
      y.then((v) => settle(NOEXC, v), (e) => settle(e));
      return;
    }
    // A Future to wait on, a bare yield, or (`yield coro` for `yield* coro`) an error.
    this._yielded(y, resume, false);
  }

  /** The task's own generator (its coroutine's body), which RESUME_OWN resumes. */
  private _ownGen: Generator | null = null;

  private _resumeOwn(gen: Generator): Resume {
    this._ownGen = gen;
    return RESUME_OWN;
  }

  /** Continues the coroutine: `resume` is RESUME_OWN (the task's own generator) or a closure. */
  private _callResume(resume: Resume, exc: Exc, value: unknown): void {
    if (resume === RESUME_OWN) this._driveGen(this._ownGen!, exc, value, null, null);
    else resume(exc, value);
  }

  /**
   * What the coroutine yielded (Python's result of coro.send): a Future to wait on, null for
   * a bare yield, anything else an error thrown back in at the next step. Ends the step.
   */
  _yielded(result: unknown, resume: Resume, viaAwait: boolean): void {
    this._resume = resume;
    let new_exc: unknown = null;
    if (isfuture(result)) {
      const fut = result as Future<unknown>;
      if (fut.get_loop() !== this._loop) {
        const e = new RuntimeError(`Task ${this} got Future ${fut} attached to a different loop`);
        e.add_note(FOREIGN_LOOP_NOTE);
        new_exc = e;
      } else if (fut._asyncio_future_blocking || viaAwait) {
        if (fut === (this as unknown)) {
          new_exc = new RuntimeError(`Task cannot await on itself: ${this}`);
        } else {
          fut._asyncio_future_blocking = false;
          if (fut instanceof Future) fut._add_task_wakeup(this);
          else (fut as Future<unknown>).add_done_callback(this.__wakeup, { context: this._context }); // a future-like of another class
          this._fut_waiter = fut;
          if (this._must_cancel) {
            if (fut.cancel(this._cancel_message)) this._must_cancel = false;
          }
        }
      } else {
        new_exc = new RuntimeError(`yield was used instead of yield from in task ${this} with ${repr(result)}`);
      }
    } else if (result === null || result === undefined) {
      // Bare yield relinquishes control for one event loop iteration.
      this._loop._schedule(new _Handle2(_taskStep, this, NOEXC, this._loop, this._context));
    } else if (_isGenerator(result) || result instanceof CoroutineObject) {
      new_exc = new RuntimeError(`yield was used instead of yield from for generator in task ${this} with ${repr(result)}`);
    } else {
      new_exc = new RuntimeError(`Task got bad yield: ${repr(result)}`);
    }
    if (new_exc !== null) this._loop._schedule(new _Handle2(_taskStep, this, new_exc, this._loop, this._context));
    if (this._loop._debug) this._suspendedAt = new Error().stack?.split("\n").slice(2).map((l) => l.trim()) ?? null;
    this._endStep();
  }

  /** The coroutine returned (Python's StopIteration). */
  _coroReturned(value: unknown): void {
    try {
      if (this._must_cancel) {
        // Task is cancelled right before coro stops.
        this._must_cancel = false;
        Future.prototype.cancel.call(this, this._cancel_message);
      } else {
        Future.prototype.set_result.call(this, value);
      }
    } finally {
      this._finish();
    }
  }

  /** The coroutine raised. */
  _coroRaised(exc: unknown): void {
    try {
      if (exc instanceof CancelledError) {
        this._cancelled_exc = exc;
        Future.prototype.cancel.call(this, null); // I.e., Future.cancel(self).
      } else {
        this._set_exception(exc);
      }
    } finally {
      // SystemExit/KeyboardInterrupt end run_forever at once, as CPython's `raise` out of
      // __step does: before the step's end lets the loop run another handle.
      if (_isSystemExiting(exc)) this._loop._fatal(exc);
      this._finish();
    }
  }

  private _finish(): void {
    _untrack(this as Task<unknown>);
    if (_adopted === (this as Task<unknown>)) {
      _adopted = null;
      _setTopLevelFrame(null);
    }
    this._endStep();
  }

  private _endStep(): void {
    this._foreign = false;
    if (this._loop._stepping === (this as Task<unknown>)) this._loop._stepReported();
  }

  /** The loop saw the step's microtasks drain without a report: the coroutine awaits something foreign. */
  _stepWentForeign(): void {
    this._foreign = true;
  }

  /** Whether an await credited to this task may suspend it now. */
  _canSuspend(): boolean {
    return !this.done() && (this._loop._stepping === (this as Task<unknown>) || this._foreign);
  }
}

function _isCoroLike(x: unknown): boolean {
  return iscoroutine(x) || (typeof x === "function" && x.length === 0);
}

/** Calls a lazy coroutine (or zero-argument function) and returns the generator or promise it runs. */
function _startBody(coro: unknown): Generator | Promise<unknown> {
  if (coro instanceof CoroutineObject) return coro._start();
  if (_isGenerator(coro) || coro instanceof Promise) return coro;
  const r = (coro as () => unknown)();
  if (r instanceof CoroutineObject) return r._start();
  if (_isGenerator(r) || r instanceof Promise) return r;
  if (_isThenable(r)) return Promise.resolve(r);
  throw new TypeError(`a coroutine was expected, got ${repr(r)} from ${callableName(coro)}()`);
}

/** The task an `await` running now belongs to, if it may suspend it. */
function _suspendableTask(): Task<unknown> | null {
  const task = _currentFrame()._task;
  return task instanceof Task && task._canSuspend() ? task : null;
}

// `await fut` of a pending Future: suspend the task whose code awaits it.
_setSuspendHook((fut, onRes, onRej) => {
  const task = _suspendableTask();
  if (task === null) return false;
  task._yielded(fut, (exc) => (exc !== NOEXC ? onRej(exc) : fut._resolveWith(fut._result, onRes, onRej)), true);
  return true;
});

// `await coro` of a lazy coroutine object: run it inline, as Python's `await coro()`.
_setAwaitCoroutine((coro, onRes, onRej) => {
  let body: Generator | Promise<unknown>;
  try {
    body = coro._start();
  } catch (e) {
    onRej(e);
    return;
  }
  if (body instanceof Promise) {
    body.then(onRes, onRej);
    return;
  }
  const task = _suspendableTask();
  if (task !== null) {
    // Inline, in the task's own frame even when it is only the top-level default (a plain
    // main adopted by asyncio.run): plain bodies this starts are then tagged, so that a
    // create_task of one moves it to its own task (Task._adopt).
    markLog();
    const prev = _enterFrame(task);
    try {
      task._driveGen(body, NOEXC, undefined, onRes, onRej);
    } finally {
      _leaveFrame(prev);
    }
    return;
  }
  // Awaited outside any task: a generator needs a task to drive it, on the running loop;
  // with no loop running, it is driven as a plain async function would be.
  const loop = _get_running_loop();
  if (loop !== null) loop.create_task(body).then(onRes, onRej);
  else _driveDetached(body, NOEXC, undefined, onRes, onRej);
});

/**
 * Drives a generator coroutine with no task and no running loop, with Promise semantics:
 * a Future is waited on through its done callbacks, anything thenable through `then`.
 */
function _driveDetached(gen: Generator, exc: Exc, value: unknown, onRes: (v: any) => unknown, onRej: (e: unknown) => unknown): void {
  let r: IteratorResult<unknown>;
  try {
    r = exc !== NOEXC ? gen.throw(exc) : gen.next(value);
  } catch (e) {
    onRej(e);
    return;
  }
  if (r.done) {
    onRes(r.value);
    return;
  }
  const y = r.value;
  const next = (e: Exc, v?: unknown) => _driveDetached(gen, e, v, onRes, onRej);
  if (isfuture(y)) {
    (y as Future<unknown>)._asyncio_future_blocking = false;
    (y as Future<unknown>).add_done_callback((f) => f._settle((v) => next(NOEXC, v), (e) => next(e)));
  } else if (_isThenable(y)) {
    y.then((v) => next(NOEXC, v), (e) => next(e));
  } else if (y === null || y === undefined) {
    queueMicrotask(() => next(NOEXC));
  } else {
    next(new RuntimeError(`Task got bad yield: ${repr(y)}`));
  }
}

// A compiled coroutine made outside every task while a loop runs, and taken by no one in that
// job: Node called it (a handler, a listener), so it runs as a task of its own.
_setOrphanHook((coro) => {
  const loop = _get_running_loop();
  if (loop === null || _currentFrame()._task instanceof Task) return;
  queueMicrotask(() => {
    if (!coro._claimed && !loop.is_closed()) loop.create_task(coro);
  });
});

_registerFutureTypes(Future as never, Task as never, ensure_future as never, wrap_future as never);

/** Schedule the execution of a coroutine object in a task on the running loop. */
export function create_task<T>(coro: CoroutineLike<T>, options: { name?: string | null; context?: Context | null } = {}): Task<T> {
  checkOptions("create_task", options, ["name", "context"]);
  const loop = get_running_loop();
  // As CPython 3.11's tasks.create_task: the task is created unnamed (drawing a Task-N
  // number, so later default names are CPython's) and then renamed.
  const task = options.context != null ? loop.create_task<T>(coro, { context: options.context }) : loop.create_task<T>(coro);
  _set_task_name(task, options.name);
  return task;
}

/** tasks._set_task_name: renames a task when a name is given (a factory's task may lack set_name). */
export function _set_task_name(task: unknown, name: unknown): void {
  if (name == null) return;
  const set_name = (task as { set_name?: unknown }).set_name;
  if (typeof set_name === "function") set_name.call(task, name);
}

/** The task running now (on `loop` or the running loop), or null. */
export function current_task(loop: BaseEventLoop | null = null): Task<unknown> | null {
  loop ??= get_running_loop();
  const task = _currentFrame()._task;
  return task instanceof Task && task._loop === loop && !task.done() ? task : null;
}

/** The set of not-yet-finished tasks of `loop` (or the running loop). */
export function all_tasks(loop: BaseEventLoop | null = null): Set<Task<unknown>> {
  loop ??= get_running_loop();
  const out = new Set<Task<unknown>>();
  for (const t of _pending_strong) if (t._loop === loop && !t.done()) out.add(t);
  for (const ref of _pending_weak) {
    const t = ref.deref();
    if (t !== undefined && t._loop === loop && !t.done()) out.add(t);
  }
  return out;
}

const _current_tasks = new Map<BaseEventLoop, Task<unknown>>();

/** Register a task object (created by a custom task factory) in all_tasks. */
export function _register_task(task: Task<unknown>): void {
  if (task._ref === null) _track(task);
}
/** Unregister a task. */
export function _unregister_task(task: Task<unknown>): void {
  _untrack(task);
}
/** Mark `task` current on `loop` (for custom loops that step tasks themselves). */
export function _enter_task(loop: BaseEventLoop, task: Task<unknown>): void {
  const cur = _current_tasks.get(loop);
  if (cur !== undefined) throw new RuntimeError(`Cannot enter into task ${task} while another task ${cur} is being executed.`);
  _current_tasks.set(loop, task);
}
export function _leave_task(loop: BaseEventLoop, task: Task<unknown>): void {
  const cur = _current_tasks.get(loop);
  if (cur !== task) throw new RuntimeError(`Leaving task ${task} does not match the current task ${cur ?? "None"}.`);
  _current_tasks.delete(loop);
}

// ---- ensure_future, sleep ----

/**
 * Wrap a coroutine or an awaitable in a future; a Future is returned as is. A zero-argument
 * function counts as a lazy coroutine, a native Promise as a started one.
 */
export function ensure_future<T>(coro_or_future: AwaitableLike<T>, options: { loop?: BaseEventLoop | null } = {}): Future<T> {
  const loop = options.loop ?? null;
  if (isfuture(coro_or_future)) {
    const fut = coro_or_future as Future<T>;
    if (loop !== null && loop !== fut.get_loop()) {
      throw new ValueError("The future belongs to a different loop than the one specified as the loop argument");
    }
    return fut;
  }
  let coro: unknown = coro_or_future;
  let called_wrap_awaitable = false;
  if (!_isCoroLike(coro)) {
    if (_isThenable(coro)) {
      const awaitable = coro;
      coro = _wrap_awaitable(awaitable);
      called_wrap_awaitable = true;
    } else {
      throw new TypeError("An asyncio.Future, a coroutine or an awaitable is required");
    }
  }
  const l = loop ?? _get_event_loop();
  try {
    return l.create_task(coro as CoroutineLike<T>);
  } catch (e) {
    if (e instanceof RuntimeError && !called_wrap_awaitable && coro instanceof CoroutineObject) coro.close();
    throw e;
  }
}

const _wrap_awaitable = coroutine(function* _wrap_awaitable(awaitable: PromiseLike<unknown>): Generator<unknown, unknown, unknown> {
  return yield awaitable;
});

/** Coroutine that completes after `delay` seconds, with `result`. */
export function sleep<R = null>(delay: number, result?: R): CoroutineObject<R> {
  // sleep(0) is a bare yield (Python's `__sleep0`): the task is stepped again one iteration
  // later. It is the step of every cooperative loop, so it gets a coroutine of its own kind.
  if (typeof delay === "number" && delay <= 0) return new _YieldOnce((result ?? null) as R, "sleep");
  return _sleep(delay, result);
}
_markCoroutineFunction(sleep);

const _sleep = coroutine(function* sleep<R = undefined>(delay: number, result?: R): Generator<unknown, R, unknown> {
  if (typeof delay !== "number") throw new TypeError(`'<=' not supported between instances of '${typeof delay}' and 'int'`);
  const loop = get_running_loop();
  const future = loop.create_future<R>();
  const h = loop.call_later(delay, _set_result_unless_cancelled, future, result ?? null);
  try {
    return yield* future;
  } finally {
    h.cancel();
  }
}) as <R = null>(delay: number, result?: R) => CoroutineObject<R>;

// ---- wait, wait_for, as_completed ----

export const FIRST_COMPLETED = "FIRST_COMPLETED";
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
export const ALL_COMPLETED = "ALL_COMPLETED";

function _release_waiter(waiter: Future<unknown>): void {
  if (!waiter.done()) waiter.set_result(null);
}

/**
 * Wait for the Futures and Tasks in `fs` to complete; resolves to `[done, pending]` (two Sets).
 * Does not raise TimeoutError: what is not done when the timeout occurs is in `pending`.
 */
export const wait = coroutine(function* wait(
  fs: Iterable<Future<unknown>>,
  options: { timeout?: number | null; return_when?: string } = {},
): Generator<unknown, [Set<Future<unknown>>, Set<Future<unknown>>], unknown> {
  checkOptions("wait", options, ["timeout", "return_when"]);
  const timeout = options.timeout ?? null;
  const return_when = options.return_when ?? ALL_COMPLETED;
  if (isfuture(fs) || iscoroutine(fs)) throw new TypeError(`expect a list of futures, not ${(fs as object).constructor.name}`);
  const set = new Set(fs);
  if (set.size === 0) throw new ValueError("Set of Tasks/Futures is empty.");
  if (![FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED].includes(return_when)) {
    throw new ValueError(`Invalid return_when value: ${return_when}`);
  }
  for (const f of set) if (iscoroutine(f)) throw new TypeError("Passing coroutines is forbidden, use tasks explicitly.");
  const loop = get_running_loop();
  return yield* _wait(set, timeout, return_when, loop);
}) as <F extends Future<unknown>>(fs: Iterable<F>, options?: { timeout?: number | null; return_when?: string }) => CoroutineObject<[Set<F>, Set<F>]>;

function* _wait(fs: Set<Future<unknown>>, timeout: number | null, return_when: string, loop: BaseEventLoop): Generator<unknown, [Set<Future<unknown>>, Set<Future<unknown>>], unknown> {
  const waiter = loop.create_future();
  let timeout_handle: { cancel(): void } | null = null;
  if (timeout !== null) timeout_handle = loop.call_later(timeout, _release_waiter, waiter);
  let counter = fs.size;
  const _on_completion = (f: Future<unknown>) => {
    counter -= 1;
    if (counter <= 0 || return_when === FIRST_COMPLETED || (return_when === FIRST_EXCEPTION && !f.cancelled() && f.exception() !== null)) {
      timeout_handle?.cancel();
      if (!waiter.done()) waiter.set_result(null);
    }
  };
  for (const f of fs) f.add_done_callback(_on_completion);
  try {
    yield* waiter;
  } finally {
    timeout_handle?.cancel();
    for (const f of fs) f.remove_done_callback(_on_completion);
  }
  const done = new Set<Future<unknown>>(), pending = new Set<Future<unknown>>();
  for (const f of fs) (f.done() ? done : pending).add(f);
  return [done, pending];
}

function* _cancel_and_wait(fut: Future<unknown>, loop: BaseEventLoop): Generator<unknown, void, unknown> {
  const waiter = loop.create_future();
  const cb = () => _release_waiter(waiter);
  fut.add_done_callback(cb);
  try {
    fut.cancel();
    yield* waiter;
  } finally {
    fut.remove_done_callback(cb);
  }
}

/** The result of a future wait_for cancelled on timeout: its CancelledError becomes TimeoutError. */
function _resultOrTimeout<T>(f: Future<T>): T {
  try {
    return f.result();
  } catch (exc) {
    if (!(exc instanceof CancelledError)) throw exc;
    const e = new TimeoutError();
    e.__cause__ = exc; // raise exceptions.TimeoutError() from exc
    throw e;
  }
}

/**
 * Wait for the single Future or coroutine to complete, with timeout (seconds; null waits
 * forever). On timeout the task is cancelled and TimeoutError raised; if the wait itself is
 * cancelled, the task is cancelled too. CPython 3.11's algorithm, step for step.
 */
const _wait_for = coroutine(function* wait_for<T>(fut: AwaitableLike<T>, timeout: number | null): Generator<unknown, T, unknown> {
  const loop = get_running_loop();
  if (timeout === null || timeout === undefined) return (yield* _await(fut)) as T;
  if (timeout <= 0) {
    const f = ensure_future<T>(fut, { loop });
    if (f.done()) return f.result();
    yield* _cancel_and_wait(f as Future<unknown>, loop);
    return _resultOrTimeout(f);
  }
  const waiter = loop.create_future();
  const timeout_handle = loop.call_later(timeout, _release_waiter, waiter);
  const cb = () => _release_waiter(waiter);
  const f = ensure_future<T>(fut, { loop });
  f.add_done_callback(cb);
  try {
    try {
      yield* waiter;
    } catch (exc) {
      if (exc instanceof CancelledError) {
        if (f.done()) return f.result();
        f.remove_done_callback(cb);
        yield* _cancel_and_wait(f as Future<unknown>, loop);
      }
      throw exc;
    }
    if (f.done()) return f.result();
    f.remove_done_callback(cb);
    yield* _cancel_and_wait(f as Future<unknown>, loop);
    return _resultOrTimeout(f);
  } finally {
    timeout_handle.cancel();
  }
});

/**
 * A plain async function's call has already started its body: it is taken into its task at
 * once (CPython does at wait_for's first step), before its first await can be credited to the
 * caller. Anything else waits for wait_for's first step, as in CPython.
 */
export const wait_for = function wait_for<T>(fut: AwaitableLike<T>, timeout: number | null): CoroutineObject<T> {
  if (fut instanceof Promise && _inFrame()) fut = ensure_future(fut);
  return _wait_for(fut, timeout) as CoroutineObject<T>;
};
_markCoroutineFunction(wait_for);

/** `yield*` whatever is awaitable: a Future, a coroutine, a generator, a promise, a lazy function. */
export function* _await(x: unknown): Generator<unknown, unknown, unknown> {
  if (isfuture(x) || x instanceof CoroutineObject || _isGenerator(x)) return yield* x as Iterable<unknown>;
  if (typeof x === "function" && x.length === 0) return yield* _await((x as () => unknown)());
  if (_isThenable(x)) return yield x;
  throw new TypeError(`object ${repr(x)} can't be used in 'await' expression`);
}

/**
 * Return an iterator of coroutines, one per input: awaiting the i-th gives the i-th result
 * to complete (or raises its exception). With `timeout`, TimeoutError once time is up.
 */
export function as_completed<A extends AwaitableLike<unknown>>(fs: Iterable<A>, options: { timeout?: number | null } = {}): Generator<CoroutineObject<ResultOf<A>>, void, unknown> {
  type T = ResultOf<A>;
  checkOptions("as_completed", options, ["timeout"]);
  if (isfuture(fs) || iscoroutine(fs)) throw new TypeError(`expect an iterable of futures, not ${(fs as object).constructor.name}`);
  const timeout = options.timeout ?? null;
  const loop = _get_event_loop();
  const todo = new Set<Future<unknown>>([...new Set(fs)].map((f) => ensure_future(f, { loop })));
  // A Queue of finished futures (null for a timeout), without importing queues.ts.
  const done: (Future<unknown> | null)[] = [];
  let getter: Future<unknown> | null = null;
  const put = (f: Future<unknown> | null) => {
    done.push(f);
    if (getter !== null && !getter.done()) getter.set_result(null);
  };
  let timeout_handle: { cancel(): void } | null = null;
  const _on_timeout = () => {
    for (const f of todo) {
      f.remove_done_callback(_on_completion);
      put(null); // Queue a dummy value for _wait_for_one().
    }
    todo.clear();
  };
  const _on_completion = (f: Future<unknown>) => {
    if (todo.size === 0) return; // _on_timeout() was here first.
    todo.delete(f);
    put(f);
    if (todo.size === 0 && timeout_handle !== null) timeout_handle.cancel();
  };
  const _wait_for_one = coroutine(function* _wait_for_one(): Generator<unknown, T, unknown> {
    while (done.length === 0) {
      getter = loop.create_future();
      yield* getter;
    }
    const f = done.shift()!;
    if (f === null) throw new TimeoutError();
    return f.result() as T; // May raise f.exception().
  });
  for (const f of todo) f.add_done_callback(_on_completion);
  if (todo.size > 0 && timeout !== null) timeout_handle = loop.call_later(timeout, _on_timeout);
  const n = todo.size;
  return (function* () {
    for (let i = 0; i < n; i++) yield _wait_for_one();
  })();
}

// ---- gather, shield ----

/** The Future gather() returns: cancelling it cancels its children. */
export class _GatheringFuture<T = unknown[]> extends Future<T> {
  _children: Future<unknown>[];
  _cancel_requested = false;
  constructor(children: Future<unknown>[], options: { loop: BaseEventLoop }) {
    super({ loop: options.loop });
    this._children = children;
  }
  override cancel(msg: unknown = null): boolean {
    if (this.done()) return false;
    let ret = false;
    for (const child of this._children) if (child.cancel(msg)) ret = true;
    // If any child tasks were actually cancelled, we should propagate the cancellation
    // request regardless of *return_exceptions* argument.  See issue 32684.
    if (ret) this._cancel_requested = true;
    return ret;
  }
}

/** The results of `gather(...A)`, one per argument: `gather(a, b)` of `Coroutine<number>`, `Coroutine<string>` is `Future<[number, string]>`. */
export type GatherResults<A extends readonly unknown[]> = { -readonly [K in keyof A]: ResultOf<A[K]> };
/**
 * With `{ return_exceptions: true }` each result may be what its awaitable raised instead: a
 * BaseException, or a JavaScript error (`TypeError`, …) as it was thrown.
 */
export type GatherResultsOrErrors<A extends readonly unknown[]> = { -readonly [K in keyof A]: ResultOf<A[K]> | BaseException | Error };

/**
 * Return a future aggregating results from the given coroutines/futures, in argument order.
 * `gather(a, b, { return_exceptions: true })` puts exceptions among the results instead of
 * raising the first. Cancelling the returned future cancels all children.
 */
export function gather<A extends AwaitableLike<unknown>[]>(...args: [...A, { return_exceptions: false }]): Future<GatherResults<A>>;
export function gather<A extends AwaitableLike<unknown>[]>(...args: [...A, { return_exceptions: boolean }]): Future<GatherResultsOrErrors<A>>;
export function gather<A extends AwaitableLike<unknown>[]>(...args: A): Future<GatherResults<A>>;
export function gather(...args: unknown[]): Future<unknown[]> {
  type T = unknown;
  const opts = popOptions<{ return_exceptions: boolean }>(args, ["return_exceptions"]);
  const return_exceptions = Boolean(opts?.return_exceptions);
  if (args.length === 0) {
    const loop = _get_event_loop();
    const outer = loop.create_future<T[]>();
    outer.set_result([]);
    return outer;
  }
  let outer: _GatheringFuture<T[]> | null = null;
  let nfuts = 0;
  let nfinished = 0;
  const children: Future<unknown>[] = [];
  const _done_callback = (fut: Future<unknown>) => {
    nfinished += 1;
    if (outer === null || outer.done()) {
      if (!fut.cancelled()) fut.exception(); // Mark exception retrieved.
      return;
    }
    if (!return_exceptions) {
      if (fut.cancelled()) {
        // Check if 'fut' is cancelled first, as 'fut.exception()' will *raise* a CancelledError.
        outer._set_exception(fut._make_cancelled_error());
        return;
      } else {
        const exc = fut.exception();
        if (exc !== null) {
          outer._set_exception(exc);
          return;
        }
      }
    }
    if (nfinished === nfuts) {
      const results: unknown[] = [];
      for (const f of children) {
        let res: unknown;
        if (f.cancelled()) {
          res = new CancelledError(f._cancel_message === null ? "" : f._cancel_message);
        } else {
          res = f.exception();
          if (res === null) res = f.result();
        }
        results.push(res);
      }
      if (outer._cancel_requested) {
        // If gather is being cancelled we must propagate the cancellation regardless of
        // *return_exceptions* argument. See issue 32684.
        outer._set_exception(fut._make_cancelled_error());
      } else {
        outer.set_result(results as T[]);
      }
    }
  };
  const arg_to_fut = new Map<unknown, Future<unknown>>();
  let loop: BaseEventLoop | null = null;
  for (const arg of args) {
    let fut = arg_to_fut.get(arg);
    if (fut === undefined) {
      fut = ensure_future(arg as AwaitableLike<unknown>, { loop });
      loop ??= fut.get_loop();
      // 'arg' was not a Future: the caller can't control it, so no "destroy pending" warning.
      if (fut !== arg) (fut as Task<unknown>)._log_destroy_pending = false;
      nfuts += 1;
      arg_to_fut.set(arg, fut);
      fut.add_done_callback(_done_callback);
    }
    children.push(fut);
  }
  outer = new _GatheringFuture<T[]>(children, { loop: loop! });
  return outer;
}

/**
 * Wait for a future, shielding it from cancellation: cancelling the caller does not cancel
 * the inner task (but the caller still sees CancelledError).
 */
export function shield<T>(arg: AwaitableLike<T>): Future<T> {
  const inner = ensure_future<T>(arg);
  if (inner.done()) return inner; // Shortcut.
  const loop = inner.get_loop();
  const outer = loop.create_future<T>();
  const _inner_done_callback = (inner: Future<T>) => {
    if (outer.cancelled()) {
      if (!inner.cancelled()) inner.exception(); // Mark inner's result as retrieved.
      return;
    }
    if (inner.cancelled()) outer.cancel();
    else {
      const exc = inner.exception();
      if (exc !== null) outer._set_exception(exc);
      else outer.set_result(inner.result());
    }
  };
  const _outer_done_callback = () => {
    if (!inner.done()) inner.remove_done_callback(_inner_done_callback);
  };
  inner.add_done_callback(_inner_done_callback);
  outer.add_done_callback(_outer_done_callback);
  return outer;
}

/**
 * Submit a coroutine to `loop` from code that does not run on it (another loop's callback, a
 * plain callback, the main thread while the loop runs); returns a concurrent.futures.Future
 * (tulip/concurrent) of its result, which is also a thenable: `await` it from plain code.
 * Cancelling that future cancels the task. From a worker thread, call the method of the loop
 * that crossed to it: `loop.run_coroutine_threadsafe(fn, ...args)`.
 */
export function run_coroutine_threadsafe<T>(coro: CoroutineLike<T>, loop: BaseEventLoop): CFuture<T> {
  if (!_isCoroLike(coro)) throw new TypeError("A coroutine object is required");
  const future = new CFuture<T>();
  const callback = () => {
    try {
      _chain_future(ensure_future(coro, { loop }) as Future<unknown>, future as CFuture<unknown>);
    } catch (exc) {
      if (_isSystemExiting(exc)) throw exc;
      if (future.set_running_or_notify_cancel()) future.set_exception(exc);
      throw exc;
    }
  };
  loop.call_soon_threadsafe(callback);
  return future;
}
