/** Timeout context managers (timeouts.py): timeout(), timeout_at(), Timeout. */
import "./_polyfills.js";
import { get_running_loop } from "./events.js";
import type { Handle } from "./events.js";
import { CancelledError, RuntimeError, TimeoutError } from "./exceptions.js";
import { current_task, Task } from "./tasks.js";

export const __all__ = ["Timeout", "timeout", "timeout_at"] as const;

enum _State {
  CREATED = "created",
  ENTERED = "active",
  EXPIRING = "expiring",
  EXPIRED = "expired",
  EXITED = "finished",
}

/**
 * Asynchronous context manager for cancelling overdue coroutines. Use `timeout()` or
 * `timeout_at()` rather than instantiating this class directly. On expiry the task is
 * cancelled and, at the exit, the CancelledError becomes TimeoutError.
 */
export class Timeout {
  _state = _State.CREATED;
  _timeout_handler: Handle | null = null;
  _task: Task<unknown> | null = null;
  _when: number | null;
  _cancelling = 0;

  /** `when` null never triggers; a `when` in the past triggers on the next iteration. */
  constructor(when: number | null) {
    this._when = when;
  }

  /** The current deadline. */
  when(): number | null {
    return this._when;
  }

  /** Reschedule the timeout. */
  reschedule(when: number | null): void {
    if (this._state !== _State.ENTERED) {
      if (this._state === _State.CREATED) throw new RuntimeError("Timeout has not been entered");
      throw new RuntimeError(`Cannot change state of ${this._state} Timeout`);
    }
    this._when = when;
    this._timeout_handler?.cancel();
    if (when === null) {
      this._timeout_handler = null;
    } else {
      const loop = get_running_loop();
      if (when <= loop.time()) this._timeout_handler = loop.call_soon(this._on_timeout);
      else this._timeout_handler = loop.call_at(when, this._on_timeout);
    }
  }

  /** Is timeout expired during execution? */
  expired(): boolean {
    return this._state === _State.EXPIRING || this._state === _State.EXPIRED;
  }

  toString(): string {
    let info = "";
    if (this._state === _State.ENTERED) {
      const when = this._when !== null ? Math.round(this._when * 1000) / 1000 : "None";
      info = ` when=${when}`;
    }
    return `<Timeout [${this._state}]${info}>`;
  }

  async __aenter__(): Promise<this> {
    if (this._state !== _State.CREATED) throw new RuntimeError("Timeout has already been entered");
    const task = current_task();
    if (task === null) throw new RuntimeError("Timeout should be used inside a task");
    this._state = _State.ENTERED;
    this._task = task;
    this._cancelling = task.cancelling();
    this.reschedule(this._when);
    return this;
  }

  async __aexit__(exc_type: unknown, exc_val: unknown, _exc_tb: unknown): Promise<null> {
    if (this._timeout_handler !== null) {
      this._timeout_handler.cancel();
      this._timeout_handler = null;
    }
    if (this._state === _State.EXPIRING) {
      this._state = _State.EXPIRED;
      if (this._task!.uncancel() <= this._cancelling && exc_type === CancelledError) {
        // Since there are no new cancel requests, we're handling this.
        const e = new TimeoutError();
        e.__cause__ = exc_val;
        throw e;
      }
    } else if (this._state === _State.ENTERED) {
      this._state = _State.EXITED;
    }
    return null;
  }

  /** Lets `await using t = await timeout(1).__aenter__()` exit as `__aexit__(null, null, null)` (or use asyncEnter). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.__aexit__(null, null, null);
  }

  private readonly _on_timeout = (): void => {
    this._task!.cancel();
    this._state = _State.EXPIRING;
    // drop the reference early
    this._timeout_handler = null;
  };
}

/** Timeout async context manager: `delay` seconds from now (null: no timeout). */
export function timeout(delay: number | null): Timeout {
  const loop = get_running_loop();
  return new Timeout(delay !== null ? loop.time() + delay : null);
}

/** Like timeout(), with an absolute deadline in loop.time() units. */
export function timeout_at(when: number | null): Timeout {
  return new Timeout(when);
}
