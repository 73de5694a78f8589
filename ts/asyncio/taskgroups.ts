/** Structured concurrency (taskgroups.py): TaskGroup. */
import "./_polyfills.js";
import type { Context } from "../contextvars.js";
import { get_running_loop } from "./events.js";
import { BaseExceptionGroup, CancelledError, RuntimeError, _isSystemExiting } from "./exceptions.js";
import type { BaseEventLoop } from "./base_events.js";
import type { Future } from "./futures.js";
import type { CoroutineLike } from "./coroutines.js";
import { Task, _set_task_name, current_task } from "./tasks.js";

export const __all__ = ["TaskGroup"] as const;

/**
 * Asynchronous context manager for managing groups of tasks. All tasks are awaited when the
 * context manager exits. Any exception other than CancelledError raised within a task cancels
 * the remaining tasks; the exceptions are then raised together as an ExceptionGroup.
 *
 * `await asyncWith(new TaskGroup(), async (tg) => { tg.create_task(...) })`, or by hand with
 * `__aenter__` / `__aexit__`.
 */
export class TaskGroup {
  _entered = false;
  _exiting = false;
  _aborting = false;
  _loop: BaseEventLoop | null = null;
  _parent_task: Task<unknown> | null = null;
  _parent_cancel_requested = false;
  _tasks = new Set<Task<unknown>>();
  _errors: unknown[] | null = [];
  _base_error: unknown = null;
  _on_completed_fut: Future<unknown> | null = null;

  toString(): string {
    const info = [""];
    if (this._tasks.size) info.push(`tasks=${this._tasks.size}`);
    if (this._errors?.length) info.push(`errors=${this._errors.length}`);
    if (this._aborting) info.push("cancelling");
    else if (this._entered) info.push("entered");
    return `<TaskGroup${info.join(" ")}>`;
  }

  async __aenter__(): Promise<this> {
    if (this._entered) throw new RuntimeError(`TaskGroup ${this} has already been entered`);
    this._loop ??= get_running_loop();
    this._parent_task = current_task(this._loop);
    if (this._parent_task === null) throw new RuntimeError(`TaskGroup ${this} cannot determine the parent task`);
    this._entered = true;
    return this;
  }

  async __aexit__(et: unknown, exc: unknown, _tb: unknown): Promise<void> {
    this._exiting = true;
    if (exc !== null && exc !== undefined && _isSystemExiting(exc) && this._base_error === null) this._base_error = exc;
    let propagate_cancellation_error: unknown = et === CancelledError ? exc : null;
    if (this._parent_cancel_requested) {
      // If this flag is set we *must* call uncancel().
      if (this._parent_task!.uncancel() === 0) {
        // If there are no pending cancellations left, don't propagate CancelledError.
        propagate_cancellation_error = null;
      }
    }
    if (et !== null && et !== undefined) {
      if (!this._aborting) this._abort();
    }
    // We use while-loop here because "self._on_completed_fut" can be cancelled multiple times
    // if our parent task is being cancelled repeatedly (or even once, when our own cancellation
    // is already in progress).
    while (this._tasks.size > 0) {
      this._on_completed_fut ??= this._loop!.create_future();
      try {
        await this._on_completed_fut;
      } catch (ex) {
        if (!(ex instanceof CancelledError)) throw ex;
        if (!this._aborting) {
          // Our parent task is being cancelled: propagate it after the children are done.
          propagate_cancellation_error = ex;
          this._abort();
        }
      }
      this._on_completed_fut = null;
    }
    if (this._base_error !== null) throw this._base_error;
    // Propagate CancelledError if there is one, except if there are other errors -- those
    // have priority.
    if (propagate_cancellation_error && this._errors!.length === 0) throw propagate_cancellation_error;
    if (et !== null && et !== undefined && et !== CancelledError) this._errors!.push(exc);
    if (this._errors!.length > 0) {
      const errors = this._errors!;
      this._errors = null;
      // ExceptionGroup when every error is an Exception, as BaseExceptionGroup.__new__ picks.
      const me = BaseExceptionGroup.create("unhandled errors in a TaskGroup", errors);
      me.__cause__ = null;
      throw me;
    }
  }

  /** Lets `await using tg = await new TaskGroup().__aenter__()` exit as `__aexit__(null, null, null)` (or use asyncEnter). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.__aexit__(null, null, null);
  }

  /** Create a new task in this group and return it (as asyncio.create_task). */
  create_task<T>(coro: CoroutineLike<T>, options: { name?: string | null; context?: Context | null } = {}): Task<T> {
    if (!this._entered) throw new RuntimeError(`TaskGroup ${this} has not been entered`);
    if (this._exiting && this._tasks.size === 0) throw new RuntimeError(`TaskGroup ${this} is finished`);
    if (this._aborting) throw new RuntimeError(`TaskGroup ${this} is shutting down`);
    const task = options.context != null ? this._loop!.create_task(coro, { context: options.context }) : this._loop!.create_task(coro);
    _set_task_name(task, options.name);
    task.add_done_callback(this._on_task_done as (t: Future<T>) => void);
    this._tasks.add(task as Task<unknown>);
    return task;
  }

  _abort(): void {
    this._aborting = true;
    for (const t of this._tasks) if (!t.done()) t.cancel();
  }

  private readonly _on_task_done = (task: Task<unknown>): void => {
    this._tasks.delete(task);
    if (this._on_completed_fut !== null && this._tasks.size === 0) {
      if (!this._on_completed_fut.done()) this._on_completed_fut.set_result(true);
    }
    if (task.cancelled()) return;
    const exc = task.exception();
    if (exc === null) return;
    this._errors!.push(exc);
    if (_isSystemExiting(exc) && this._base_error === null) this._base_error = exc;
    if (this._parent_task!.done()) {
      // Not sure if this case is possible, but we want to handle it anyways.
      this._loop!.call_exception_handler({
        message: `Task ${task} has errored out but its parent task ${this._parent_task} is already completed`,
        exception: exc,
        task,
      });
      return;
    }
    if (!this._aborting && !this._parent_cancel_requested) {
      // If parent task *is not* being cancelled, it means that we want to manually cancel it
      // to abort whatever is being run right now in the TaskGroup. We also set a flag so that
      // __aexit__ can uncancel() the parent.
      this._abort();
      this._parent_cancel_requested = true;
      this._parent_task!.cancel();
    }
  };
}
