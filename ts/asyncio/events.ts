/** Event loop and event loop policy: Handle, TimerHandle, AbstractEventLoop, the policies. */
import "./_polyfills.js";
import { Context, _currentFrame, _enterFrame, _leaveFrame } from "../contextvars.js";
import { NotImplementedError, RuntimeError, _isSystemExiting } from "./exceptions.js";
import { formatCallbackSource, extractStack } from "./format_helpers.js";
import type { BaseEventLoop } from "./base_events.js";

export const __all__ = [
  "AbstractEventLoopPolicy", "AbstractEventLoop", "AbstractServer", "Handle", "TimerHandle",
  "get_event_loop_policy", "set_event_loop_policy", "get_event_loop", "set_event_loop", "new_event_loop",
  "get_child_watcher", "set_child_watcher", "_set_running_loop", "get_running_loop", "_get_running_loop",
] as const;

/** The loop-facing part of a loop that a Handle needs (kept small to avoid an import cycle). */
interface HandleLoop {
  _debug: boolean;
  get_debug(): boolean;
  call_exception_handler(context: Record<string, unknown>): void;
  _timer_handle_cancelled(handle: TimerHandle): void;
}

const NO_ARGS: unknown[] = [];

/** Object returned by callback registration methods. */
export class Handle {
  _callback: ((...args: any[]) => unknown) | null;
  _args: unknown[] | null;
  _cancelled = false;
  _loop: HandleLoop;
  /**
   * The context to run in, or — until someone needs the Context itself — the caller's context
   * data at creation (an immutable snapshot: Context copies on write). Python copies the
   * caller's context for each handle; copying lazily keeps a handle to one small object.
   */
  private _ctx: Context | Map<unknown, unknown>;
  /** Set in debug mode only (so a handle stays small otherwise). */
  declare _repr?: string;
  declare _source_traceback?: string[];

  constructor(callback: (...args: any[]) => unknown, args: unknown[], loop: HandleLoop, context: Context | null = null) {
    this._ctx = context ?? _currentFrame()._context._data;
    this._loop = loop;
    this._callback = callback;
    // A shared empty array: a handle waiting in a long ready queue should not keep one each.
    this._args = args.length === 0 ? NO_ARGS : args;
    if (loop._debug) this._source_traceback = extractStack();
  }

  get _context(): Context {
    if (!(this._ctx instanceof Context)) this._ctx = new Context(this._ctx as Map<never, unknown>);
    return this._ctx;
  }

  get_context(): Context {
    return this._context;
  }

  cancel(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      if (this._loop.get_debug()) this._repr = this.toString();
      this._callback = null;
      this._args = null;
    }
  }

  cancelled(): boolean {
    return this._cancelled;
  }

  _run(): void {
    const ctx = this._context;
    try {
      // Context.run without the re-entrance check: a handle's context is entered by the loop only.
      const prev = _enterFrame(ctx);
      try {
        this._call();
      } finally {
        _leaveFrame(prev);
      }
    } catch (exc) {
      if (_isSystemExiting(exc)) throw exc;
      const context: Record<string, unknown> = {
        message: `Exception in callback ${formatCallbackSource(this._callback, this._callArgs())}`,
        exception: exc,
        handle: this,
      };
      if (this._source_traceback) context.source_traceback = this._source_traceback;
      this._loop.call_exception_handler(context);
    }
  }

  protected _call(): void {
    Reflect.apply(this._callback!, undefined, this._args!);
  }

  /** The arguments the callback is called with (for reprs and error messages). */
  protected _callArgs(): unknown[] | null {
    return this._args;
  }

  protected _reprInfo(): string[] {
    const info: string[] = [];
    if (this._cancelled) info.push("cancelled");
    if (this._callback !== null) info.push(formatCallbackSource(this._callback, this._callArgs()));
    if (this._source_traceback) info.push(`created at ${this._source_traceback[0] ?? "?"}`);
    return info;
  }

  toString(): string {
    if (this._repr !== undefined) return this._repr;
    return `<${this.constructor.name} ${this._reprInfo().join(" ")}>`;
  }
}

/** @internal A Handle for a callback of one argument, kept in a field (a future's done callbacks). */
export class _Handle1<A> extends Handle {
  constructor(
    callback: (a: A) => unknown,
    private _a: A | null,
    loop: HandleLoop,
    context: Context | null,
  ) {
    super(callback as (...args: any[]) => unknown, NO_ARGS, loop, context);
  }

  protected override _call(): void {
    (this._callback as (a: A | null) => unknown)(this._a);
  }

  protected override _callArgs(): unknown[] | null {
    return this._callback === null ? null : [this._a];
  }

  override cancel(): void {
    super.cancel();
    this._a = null;
  }
}

/**
 * @internal A Handle for a callback of two arguments, kept in fields: the loop's own hot
 * callbacks (a task's step, its wakeup) scheduled without an arguments array each time.
 */
export class _Handle2<A, B> extends Handle {
  constructor(
    callback: (a: A, b: B) => unknown,
    private _a: A | null,
    private _b: B | null,
    loop: HandleLoop,
    context: Context | null,
  ) {
    super(callback as (...args: any[]) => unknown, NO_ARGS, loop, context);
  }

  protected override _call(): void {
    (this._callback as (a: A | null, b: B | null) => unknown)(this._a, this._b);
  }

  protected override _callArgs(): unknown[] | null {
    return this._callback === null ? null : [this._a, this._b];
  }

  override cancel(): void {
    super.cancel();
    this._a = this._b = null;
  }
}

// They are Handles to whoever reads a repr (asyncio's debug messages say `<Handle …>`).
Object.defineProperty(_Handle1, "name", { value: "Handle" });
Object.defineProperty(_Handle2, "name", { value: "Handle" });

/** Object returned by timed callback registration methods. */
export class TimerHandle extends Handle {
  _when: number;
  _scheduled = false;

  constructor(when: number, callback: (...args: any[]) => unknown, args: unknown[], loop: HandleLoop, context: Context | null = null) {
    super(callback, args, loop, context);
    this._when = when;
  }

  protected override _reprInfo(): string[] {
    const info = super._reprInfo();
    info.splice(this._cancelled ? 1 : 0, 0, `when=${this._when}`);
    return info;
  }

  /** Python's `__lt__`, the heap's order. */
  _lt(other: TimerHandle): boolean {
    return this._when < other._when;
  }

  override cancel(): void {
    if (!this._cancelled) this._loop._timer_handle_cancelled(this);
    super.cancel();
  }

  /** The scheduled callback time, in the loop's time() units (seconds). */
  when(): number {
    return this._when;
  }
}

/** Abstract server returned by create_server(). */
export abstract class AbstractServer {
  close(): void { throw new NotImplementedError(); }
  get_loop(): AbstractEventLoop { throw new NotImplementedError(); }
  is_serving(): boolean { throw new NotImplementedError(); }
  async start_serving(): Promise<void> { throw new NotImplementedError(); }
  async serve_forever(): Promise<void> { throw new NotImplementedError(); }
  async wait_closed(): Promise<void> { throw new NotImplementedError(); }
  async __aenter__(): Promise<this> { return this; }
  async __aexit__(..._exc: unknown[]): Promise<void> {
    this.close();
    await this.wait_closed();
  }
  async [Symbol.asyncDispose](): Promise<void> {
    await this.__aexit__(null, null, null);
  }
}

/**
 * Abstract event loop: the interface every loop provides. tulip's loops derive from
 * BaseEventLoop; this class exists for `instanceof` and for documentation, as in asyncio.
 */
export abstract class AbstractEventLoop {}

/** Abstract policy for accessing the event loop. */
export abstract class AbstractEventLoopPolicy {
  abstract get_event_loop(): BaseEventLoop;
  abstract set_event_loop(loop: BaseEventLoop | null): void;
  abstract new_event_loop(): BaseEventLoop;
  get_child_watcher(): never {
    throw new NotImplementedError("child watchers are not needed on Node.js: child_process reaps its children");
  }
  set_child_watcher(_w: unknown): never {
    throw new NotImplementedError("child watchers are not needed on Node.js: child_process reaps its children");
  }
}

let loopFactory: (() => BaseEventLoop) | null = null;

/** @internal node_events registers the default loop class here (it would be an import cycle). */
export function _setDefaultLoopFactory(f: () => BaseEventLoop): void {
  loopFactory = f;
}

/**
 * The default policy: one current loop (Node has one thread, so asyncio's per-thread loop
 * is simply the main thread's). get_event_loop() creates one on first use, as 3.11 does.
 */
export class BaseDefaultEventLoopPolicy extends AbstractEventLoopPolicy {
  _loop: BaseEventLoop | null = null;
  _set_called = false;

  get_event_loop(): BaseEventLoop {
    if (this._loop === null && !this._set_called) {
      const loop = this.new_event_loop();
      loop._madeImplicitly = true;
      this.set_event_loop(loop);
    }
    if (this._loop === null) throw new RuntimeError("There is no current event loop in thread 'MainThread'.");
    return this._loop;
  }

  set_event_loop(loop: BaseEventLoop | null): void {
    this._set_called = true;
    if (loop !== null && !(loop instanceof AbstractEventLoop)) {
      throw new TypeError(`loop must be an instance of AbstractEventLoop or None, not '${typeof loop}'`);
    }
    this._loop = loop;
  }

  new_event_loop(): BaseEventLoop {
    if (loopFactory === null) throw new RuntimeError("no event loop class registered");
    return loopFactory();
  }
}

export class DefaultEventLoopPolicy extends BaseDefaultEventLoopPolicy {}

let eventLoopPolicy: AbstractEventLoopPolicy | null = null;
let runningLoop: BaseEventLoop | null = null;

/** The running event loop, or null (no error). */
export function _get_running_loop(): BaseEventLoop | null {
  return runningLoop;
}

/** Sets the running event loop (called by the loop itself). */
export function _set_running_loop(loop: BaseEventLoop | null): void {
  runningLoop = loop;
}

/** The running event loop; RuntimeError if there is none. */
export function get_running_loop(): BaseEventLoop {
  if (runningLoop === null) {
    const e = new RuntimeError("no running event loop");
    // The commonest way to get here in JavaScript, which CPython cannot have (issue 13):
    // str(e) stays CPython's; the note shows where Node prints the error.
    e.add_note(NO_LOOP_NOTE);
    throw e;
  }
  return runningLoop;
}

const NO_LOOP_NOTE =
  "(tulip) If this runs in the first lines of an async function given to asyncio.run(main()): JavaScript runs " +
  "main's body up to its first await when main() is called, before asyncio.run has started the loop. " +
  "Pass the function itself, asyncio.run(main), or run the program with node --import tulip/register.";

export function get_event_loop_policy(): AbstractEventLoopPolicy {
  return (eventLoopPolicy ??= new DefaultEventLoopPolicy());
}

export function set_event_loop_policy(policy: AbstractEventLoopPolicy | null): void {
  if (policy !== null && !(policy instanceof AbstractEventLoopPolicy)) {
    throw new TypeError(`policy must be an instance of AbstractEventLoopPolicy or None, not '${typeof policy}'`);
  }
  eventLoopPolicy = policy;
}

/** The running loop if there is one, else the policy's current loop (created on first use). */
export function get_event_loop(): BaseEventLoop {
  return runningLoop ?? get_event_loop_policy().get_event_loop();
}

/** Internal form used by Future() and friends (same rule as get_event_loop). */
export const _get_event_loop = get_event_loop;

export function set_event_loop(loop: BaseEventLoop | null): void {
  get_event_loop_policy().set_event_loop(loop);
}

export function new_event_loop(): BaseEventLoop {
  return get_event_loop_policy().new_event_loop();
}

export function get_child_watcher(): never {
  return get_event_loop_policy().get_child_watcher();
}

export function set_child_watcher(w: unknown): never {
  return get_event_loop_policy().set_child_watcher(w);
}
