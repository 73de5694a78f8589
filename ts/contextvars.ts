/**
 * Python's contextvars: ContextVar, Token, Context, copy_context.
 *
 * The current context travels in an async-local slot (_asynclocal.ts), so it holds across
 * every `await` of an async function (not only between task steps) and across foreign
 * promises. A Context's mapping is copy-on-write: copy_context() shares it and the first
 * `set` copies, as CPython's HAMT makes copies cheap.
 */
import "./asyncio/_polyfills.js";
import { enter, getStore, restore, run } from "./_asynclocal.js";
import { LookupError, RuntimeError, ValueError } from "./asyncio/exceptions.js";

/**
 * What the async-local store holds: the current Context and the task whose code runs. A
 * Context is the frame of callbacks and `Context.run` (no task), a Task its own steps' frame:
 * no frame object of its own per task or context (80 bytes per pending task).
 */
export interface _Frame {
  readonly _context: Context;
  readonly _task: unknown;
}

/** Enters `frame` and returns the frame to give back to `_leaveFrame` (in a `finally`). */
export const _enterFrame: (frame: _Frame) => unknown = enter;
export const _leaveFrame: (prev: unknown) => void = restore;

/** Whether code runs in a frame (a task, a callback, Context.run) rather than at top level. */
export function _inFrame(): boolean {
  return getStore() !== undefined;
}

let rootFrame: _Frame | undefined;
let topLevelFrame: _Frame | null = null;

/** The frame of the code running now (the root context outside any task or callback). */
export function _currentFrame(): _Frame {
  const f = getStore<_Frame>();
  if (f !== undefined) return f;
  return topLevelFrame ?? (rootFrame ??= new Context());
}

/**
 * @internal Code outside every task and callback runs in `frame` (null: the root context).
 * Set while a task adopts a coroutine that top-level code already started (asyncio.run(main())
 * with a plain async function): that code *is* the task's coroutine.
 */
export function _setTopLevelFrame(frame: _Frame | null): void {
  topLevelFrame = frame;
}

const MISSING: unique symbol = Symbol("MISSING");

/** @internal told of every new ContextVar (an executor's worker finds its variables by name). */
let varCreated: ((v: ContextVar<unknown>) => void) | null = null;
/** @internal */
export function _setVarCreatedHook(hook: typeof varCreated): void {
  varCreated = hook;
}

export class Context implements Iterable<ContextVar<unknown>> {
  /** @internal the variables' values; replaced (never mutated) on set. */
  _data: Map<ContextVar<any>, unknown>;
  private _entered = false;

  /** An empty context (Python's `Context()`); `_data` is for tulip's own copies. */
  constructor(_data?: Map<ContextVar<any>, unknown>) {
    this._data = _data ?? new Map();
  }

  /** Runs `callable(...args)` in this context; a ContextVar.set inside it changes this context. */
  run<A extends unknown[], R>(callable: (...args: A) => R, ...args: A): R {
    if (this._entered) throw new RuntimeError(`cannot enter context: ${this} is already entered`);
    this._entered = true;
    try {
      return run(this, callable, ...args);
    } finally {
      this._entered = false;
    }
  }

  /** @internal As a frame (_Frame): code run in this context, in no task. */
  get _context(): Context {
    return this;
  }
  get _task(): null {
    return null;
  }

  /** A shallow copy (Context.copy()). */
  copy(): Context {
    return new Context(this._data);
  }

  get<T>(v: ContextVar<T>, dflt: T | null = null): T | null {
    return this._data.has(v) ? (this._data.get(v) as T) : dflt;
  }
  has(v: ContextVar<unknown>): boolean {
    return this._data.has(v);
  }
  /** Python's `ctx[var]`: raises KeyError when the variable is not set in this context. */
  getitem<T>(v: ContextVar<T>): T {
    if (!this._data.has(v)) throw new LookupError(String(v));
    return this._data.get(v) as T;
  }
  get length(): number {
    return this._data.size;
  }
  keys(): ContextVar<unknown>[] {
    return [...this._data.keys()];
  }
  values(): unknown[] {
    return [...this._data.values()];
  }
  items(): [ContextVar<unknown>, unknown][] {
    return [...this._data.entries()];
  }
  [Symbol.iterator](): Iterator<ContextVar<unknown>> {
    return this._data.keys();
  }
  toString(): string {
    return `<Context object>`;
  }
}

export class Token<T> {
  static readonly MISSING = MISSING;
  /** @internal */ _used = false;
  constructor(
    readonly context: Context,
    readonly var_: ContextVar<T>,
    readonly old_value: T | typeof MISSING,
  ) {}
  /** Python's `token.var`. */
  get var(): ContextVar<T> {
    return this.var_;
  }
  toString(): string {
    return `<Token${this._used ? " used" : ""} var=${this.var_}>`;
  }
}

export class ContextVar<T> {
  readonly name: string;
  private readonly _default: T | typeof MISSING;

  constructor(name: string, options?: { default?: T }) {
    if (typeof name !== "string") throw new TypeError("context variable name must be a str");
    this.name = name;
    this._default = options !== undefined && "default" in options ? (options.default as T) : MISSING;
    if (varCreated !== null) varCreated(this as ContextVar<unknown>);
  }

  /** The value in the current context, else `dflt` if given, else the var's default; LookupError otherwise. */
  get(...dflt: [] | [T]): T {
    const data = _currentFrame()._context._data;
    if (data.has(this)) return data.get(this) as T;
    if (dflt.length > 0) return dflt[0] as T;
    if (this._default !== MISSING) return this._default;
    throw new LookupError(String(this));
  }

  set(value: T): Token<T> {
    const ctx = _currentFrame()._context;
    const old = ctx._data.has(this) ? (ctx._data.get(this) as T) : MISSING;
    ctx._data = new Map(ctx._data).set(this, value);
    return new Token(ctx, this, old);
  }

  reset(token: Token<T>): void {
    if (!(token instanceof Token)) throw new TypeError(`expected an instance of Token, got ${typeof token}`);
    if (token._used) throw new RuntimeError(`${token} has already been used once`);
    if (token.var_ !== this) throw new ValueError(`${token} was created by a different ContextVar`);
    const ctx = _currentFrame()._context;
    if (token.context !== ctx) throw new ValueError(`${token} was created in a different Context`);
    token._used = true;
    const data = new Map(ctx._data);
    if (token.old_value === MISSING) data.delete(this);
    else data.set(this, token.old_value);
    ctx._data = data;
  }

  toString(): string {
    const d = this._default === MISSING ? "" : ` default=${String(this._default)}`;
    return `<ContextVar name='${this.name}'${d}>`;
  }
}

/** A copy of the current context. */
export function copy_context(): Context {
  return _currentFrame()._context.copy();
}
