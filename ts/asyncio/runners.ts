/** Running a coroutine from plain code (runners.py): run() and Runner. */
import "./_polyfills.js";
import type { Context } from "../contextvars.js";
import { copy_context } from "../contextvars.js";
import { _get_running_loop, get_event_loop_policy, new_event_loop, set_event_loop } from "./events.js";
import { CancelledError, KeyboardInterrupt, RuntimeError, ValueError } from "./exceptions.js";
import type { BaseEventLoop } from "./base_events.js";
import { iscoroutine, type CoroutineLike } from "./coroutines.js";
import { all_tasks, gather } from "./tasks.js";
import type { Task } from "./tasks.js";
import { repr } from "./format_helpers.js";
import { isMainThread } from "node:worker_threads";
import * as signal from "../signal.js";

export const __all__ = ["Runner", "run"] as const;

enum _State {
  CREATED = "created",
  INITIALIZED = "initialized",
  CLOSED = "closed",
}

/**
 * Controls an event loop's life cycle: always creates a new loop, runs coroutines in it,
 * and finalizes it on close. `run()` and `close()` return Promises (Node cannot block).
 * As a context manager: `await asyncWith(new Runner(), async (r) => r.run(main()))`, or
 * `__aenter__`/`__aexit__`, or `await using r = await new Runner().__aenter__()`.
 */
export class Runner {
  _state = _State.CREATED;
  _debug: boolean | null;
  _loop_factory: (() => BaseEventLoop) | null;
  _loop: BaseEventLoop | null = null;
  _context: Context | null = null;
  _interrupt_count = 0;
  _set_event_loop = false;

  constructor(options: { debug?: boolean | null; loop_factory?: (() => BaseEventLoop) | null } = {}) {
    this._debug = options.debug ?? null;
    this._loop_factory = options.loop_factory ?? null;
  }

  // tulip: plain async (it runs the loop from outside it)
  async __aenter__(): Promise<this> {
    this._lazy_init();
    return this;
  }

  // tulip: plain async (it runs the loop from outside it)
  async __aexit__(_t: unknown, _v: unknown, _tb: unknown): Promise<void> {
    await this.close();
  }

  // tulip: plain async (it runs the loop from outside it)
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Shutdown and close event loop: cancel what is left, finalize async generators. */
  // tulip: plain async (it runs the loop from outside it)
  async close(): Promise<void> {
    if (this._state !== _State.INITIALIZED) return;
    const loop = this._loop!;
    try {
      await _cancel_all_tasks(loop);
      await loop.run_until_complete(loop.shutdown_asyncgens());
      await loop.run_until_complete(loop.shutdown_default_executor());
    } finally {
      if (this._set_event_loop) set_event_loop(null);
      loop.close();
      this._loop = null;
      this._state = _State.CLOSED;
    }
  }

  /** Return embedded event loop. */
  get_loop(): BaseEventLoop {
    this._lazy_init();
    return this._loop!;
  }

  /** Run a coroutine inside the embedded event loop; resolves to its result. */
  // tulip: plain async (it runs the loop from outside it)
  async run<T>(coro: CoroutineLike<T>, options: { context?: Context | null } = {}): Promise<T> {
    if (!iscoroutine(coro) && !(typeof coro === "function" && coro.length === 0)) {
      throw new ValueError(`a coroutine was expected, got ${repr(coro)}`);
    }
    if (_get_running_loop() !== null) throw new RuntimeError("Runner.run() cannot be called from a running event loop");
    this._lazy_init(coro instanceof Promise ? _implicitLoop() : null);
    const context = options.context ?? this._context;
    const task = this._loop!.create_task(coro, { context });
    // Ctrl-C cancels the main task (a second one raises KeyboardInterrupt), unless the
    // program handles SIGINT itself (CPython: unless SIGINT's handler is not the default
    // one; Node's default is SIG_DFL, and a listener added with process.on counts too).
    let sigint_handler: signal.SignalHandler | null = null;
    if (isMainThread && signal.getsignal(signal.SIGINT) === signal.SIG_DFL) {
      sigint_handler = () => this._on_sigint(task as Task<unknown>);
      signal.signal(signal.SIGINT, sigint_handler);
    }
    this._interrupt_count = 0;
    try {
      return await this._loop!.run_until_complete(task);
    } catch (e) {
      if (e instanceof CancelledError && this._interrupt_count > 0) {
        if (task.uncancel() === 0) throw new KeyboardInterrupt();
      }
      throw e;
    } finally {
      if (sigint_handler !== null && signal.getsignal(signal.SIGINT) === sigint_handler) {
        signal.signal(signal.SIGINT, signal.SIG_DFL);
      }
    }
  }

  _lazy_init(adopt: BaseEventLoop | null = null): void {
    if (this._state === _State.CLOSED) throw new RuntimeError("Runner is closed");
    if (this._state === _State.INITIALIZED) return;
    if (this._loop_factory === null) {
      this._loop = adopt ?? new_event_loop();
      if (!this._set_event_loop) {
        // Call set_event_loop only once to avoid calling attach_loop multiple times on child watchers.
        set_event_loop(this._loop);
        this._set_event_loop = true;
      }
    } else {
      this._loop = this._loop_factory();
    }
    if (this._debug !== null) this._loop.set_debug(this._debug);
    this._context = copy_context();
    this._state = _State.INITIALIZED;
  }

  _on_sigint(main_task: Task<unknown>): void {
    this._interrupt_count += 1;
    if (this._interrupt_count === 1 && !main_task.done()) {
      main_task.cancel();
      // wakeup loop if it is blocked by select() with long timeout
      this._loop!.call_soon_threadsafe(() => {});
      return;
    }
    this._loop?._fatal(new KeyboardInterrupt());
  }
}

/**
 * Execute the coroutine and return (a Promise of) its result, on a new event loop that is
 * closed at the end. `await asyncio.run(main())`; pass `main` itself (or a lazy coroutine
 * from `coroutine()`) for CPython's exact order, since calling an async function starts it.
 */
// tulip: plain async (it runs the loop from outside it)
export async function run<T>(main: CoroutineLike<T>, options: { debug?: boolean | null } = {}): Promise<T> {
  if (_get_running_loop() !== null) throw new RuntimeError("asyncio.run() cannot be called from a running event loop");
  const runner = new Runner({ debug: options.debug ?? null });
  try {
    return await runner.run(main);
  } finally {
    await runner.close();
  }
}

// tulip: plain async (it runs the loop from outside it)
async function _cancel_all_tasks(loop: BaseEventLoop): Promise<void> {
  const to_cancel = all_tasks(loop);
  if (to_cancel.size === 0) return;
  for (const task of to_cancel) task.cancel();
  await loop.run_until_complete(gather(...to_cancel, { return_exceptions: true }));
  for (const task of to_cancel) {
    if (task.cancelled()) continue;
    if (task.exception() !== null) {
      loop.call_exception_handler({ message: "unhandled exception during asyncio.run() shutdown", exception: task.exception(), task });
    }
  }
}

/**
 * The loop a raw plain `main()` has already used: its body ran before `asyncio.run` (JavaScript
 * calls main first), and whatever it scheduled there without a running loop — `gather`'s
 * children, `ensure_future`s — went to the policy's loop, made on first use. The Runner runs
 * that loop rather than a new one that would never step them (the run hung). Only a loop made
 * so, never run nor closed; CPython never runs main's body early, so it never needs this.
 */
function _implicitLoop(): BaseEventLoop | null {
  const policy = get_event_loop_policy() as { _loop?: BaseEventLoop | null };
  const loop = policy._loop ?? null;
  return loop !== null && loop._madeImplicitly && !loop.is_closed() && !loop.is_running() ? loop : null;
}
