/**
 * asyncio exceptions, and the Python built-in exceptions asyncio raises that JavaScript lacks.
 *
 * Every class's `name` is Python's type name and its `message` is Python's `str(exc)`, so
 * `` `${e.name}: ${e.message}` `` (and `String(e)`) reads as CPython's traceback line. `args`
 * holds the constructor arguments as in Python. `TypeError` is JavaScript's own (same name,
 * same role). Exception groups are the one exception to the `message` rule: there `message`
 * is Python's own `eg.message` attribute (the bare message), and `str(eg)` — which adds
 * " (2 sub-exceptions)" — is `eg.__str__()`; {@link _exc_str} is `str(e)` for anything thrown.
 */
import { repr } from "./format_helpers.js";

/** Python's `str(exc)`: '' for no args, str(arg) for one, the tuple's repr for more. */
function strOfArgs(args: unknown[]): string {
  if (args.length === 0) return "";
  if (args.length === 1) return String(args[0]);
  return "(" + args.map((a) => repr(a)).join(", ") + ")";
}

export class BaseException extends Error {
  args: unknown[];
  /** Python's `__cause__` (`raise X from Y`). */
  __cause__: unknown = null;
  /** Python's `__context__`. */
  __context__: unknown = null;

  constructor(...args: unknown[]) {
    super(strOfArgs(args));
    this.args = args;
  }

  /** Python's `str(exc)`: the message (for exception groups, with the sub-exception count). */
  __str__(): string {
    return this.message;
  }

  /** Python's `__notes__` (PEP 678): set by add_note. */
  __notes__?: string[];

  /** Python's `add_note(note)`: a line shown after the exception's own (here: at its stack's end); str(exc) is unchanged. */
  add_note(note: string): void {
    if (typeof note !== "string") throw new TypeError(`note must be a str, not '${note === null ? "NoneType" : typeof note}'`);
    (this.__notes__ ??= []).push(note);
    if (this.stack !== undefined) this.stack += `\n${note}`;
  }

  /** Python's `with_traceback`: a no-op beside JavaScript's stacks, kept for ported code. */
  with_traceback(_tb: unknown): this {
    return this;
  }
}

// `name` is Python's `type(e).__name__`: the class's own name, read from the constructor, so
// that a subclass (`class FetchError extends Exception {}`) is named without boilerplate. A
// class that must show another name defines `name` on its prototype; assigning `e.name` sets
// the instance's own.
Object.defineProperty(BaseException.prototype, "name", {
  get(this: BaseException): string {
    return this.constructor.name;
  },
  set(this: BaseException, value: string) {
    Object.defineProperty(this, "name", { value, writable: true, configurable: true });
  },
  configurable: true,
});

/**
 * Python's `Exception`. `x instanceof Exception` is also true for JavaScript's own errors
 * (`Error`, `TypeError`…), since ported `except Exception:` code means "any ordinary error",
 * and for `ExceptionGroup`, which in Python inherits from both groups.
 */
export class Exception extends BaseException {
  static override [Symbol.hasInstance](x: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, x)) return true;
    if (this !== Exception) return false;
    if (x instanceof ExceptionGroup) return true;
    return x instanceof Error && !(x instanceof BaseException);
  }
}
export class RuntimeError extends Exception {}
export class NotImplementedError extends RuntimeError {}
export class RecursionError extends RuntimeError {}
export class ValueError extends Exception {}
export class LookupError extends Exception {}
/** Python's `KeyError`: with one argument its `str()` is that argument's repr (`'c'`, not `c`). */
export class KeyError extends LookupError {
  constructor(...args: unknown[]) {
    super(...args);
    if (args.length === 1) this.message = repr(args[0]);
  }
}
export class IndexError extends Exception {}
export class ArithmeticError extends Exception {}
export class OverflowError extends ArithmeticError {}
export class AttributeError extends Exception {}
export class EOFError extends Exception {}
export class StopIteration extends Exception {
  get value(): unknown {
    return this.args[0];
  }
}
export class StopAsyncIteration extends Exception {}
export class KeyboardInterrupt extends BaseException {}
export class SystemExit extends BaseException {}
export class GeneratorExit extends BaseException {}

/**
 * Python's `OSError`. `new OSError(errno, strerror)` reads "[Errno 111] Connection refused";
 * `OSError.fromErrno` picks the subclass Python would (ConnectionRefusedError for ECONNREFUSED…).
 */
export class OSError extends Exception {
  errno: number | null = null;
  strerror: string | null = null;
  filename: unknown = null;
  constructor(...args: unknown[]) {
    super(...args);
    if (args.length >= 2 && typeof args[0] === "number") {
      this.errno = args[0];
      this.strerror = String(args[1]);
      this.message = `[Errno ${this.errno}] ${this.strerror}`;
      if (args.length >= 3 && args[2] != null) {
        this.filename = args[2];
        this.message += `: '${String(args[2])}'`;
      }
    }
  }
}
export class ConnectionError extends OSError {}
export class BrokenPipeError extends ConnectionError {}
export class ConnectionAbortedError extends ConnectionError {}
export class ConnectionRefusedError extends ConnectionError {}
export class ConnectionResetError extends ConnectionError {}
export class FileNotFoundError extends OSError {}
export class PermissionError extends OSError {}
export class BlockingIOError extends OSError {}
export class ProcessLookupError extends OSError {}
export class ChildProcessError extends OSError {}
/** Python's built-in `TimeoutError`, which `asyncio.TimeoutError` is since 3.11. */
export class TimeoutError extends OSError {}

// ---- asyncio's own (exceptions.py) ----

/** The Future or Task was cancelled. A BaseException, as in 3.8+. */
export class CancelledError extends BaseException {}
/** The operation is not allowed in this state. */
export class InvalidStateError extends Exception {}
/** Sendfile syscall is not available for the given socket or file type. */
export class SendfileNotAvailableError extends RuntimeError {}
/** Reached EOF before `expected` bytes; `partial` holds what was read. */
export class IncompleteReadError extends EOFError {
  partial: Uint8Array;
  expected: number | null;
  constructor(partial: Uint8Array, expected: number | null) {
    super(`${partial.length} bytes read on a total of ${expected === null ? "undefined" : expected} expected bytes`);
    this.partial = partial;
    this.expected = expected;
  }
}
/** Reached the buffer limit while looking for a separator; `consumed` bytes are to be consumed. */
export class LimitOverrunError extends Exception {
  consumed: number;
  constructor(message: string, consumed: number) {
    super(message);
    this.consumed = consumed;
  }
}
/** Barrier is broken by barrier.abort() call. */
export class BrokenBarrierError extends RuntimeError {}
/** Raised when Queue.get_nowait() is called on an empty Queue. */
export class QueueEmpty extends Exception {}
/** Raised when Queue.put_nowait() is called on a full Queue. */
export class QueueFull extends Exception {}

// ---- exception groups (PEP 654) ----

type Matcher = ((e: unknown) => boolean) | (abstract new (...a: any[]) => unknown) | Array<abstract new (...a: any[]) => unknown>;

function toPredicate(m: Matcher): (e: unknown) => boolean {
  if (Array.isArray(m)) return (e) => m.some((c) => e instanceof c);
  if (typeof m === "function" && m.prototype !== undefined && (m.prototype instanceof Error || m === Error)) {
    const cls = m as abstract new (...a: any[]) => unknown;
    return (e) => e instanceof cls;
  }
  return m as (e: unknown) => boolean;
}

/**
 * Python's `BaseExceptionGroup(message, exceptions)`. `message` is Python's `eg.message`, the
 * bare message ("unhandled errors in a TaskGroup"); `str(eg)`, which adds the count
 * ("… (2 sub-exceptions)"), is `eg.__str__()`, and `String(eg)` and the stack's first line read
 * "ExceptionGroup: … (2 sub-exceptions)", as CPython's traceback does.
 */
export class BaseExceptionGroup extends BaseException {
  readonly exceptions: readonly unknown[];
  constructor(message: string, exceptions: unknown[]) {
    if (typeof message !== "string") throw new TypeError("argument 1 must be str, not " + typeof message);
    if (!Array.isArray(exceptions)) throw new TypeError("second argument (exceptions) must be a sequence");
    if (exceptions.length === 0) throw new ValueError("second argument (exceptions) must be a non-empty sequence");
    for (const [i, e] of exceptions.entries()) {
      if (!(e instanceof Error)) throw new ValueError(`Item ${i} of second argument (exceptions) is not an exception`);
    }
    super(message, exceptions);
    this.exceptions = Object.freeze([...exceptions]);
    // V8 formats the stack's header from `message` on first access: format it with str(eg),
    // then leave `message` as Python's attribute.
    this.message = this.__str__();
    void this.stack;
    this.message = message;
  }

  /** Python's `str(eg)`: the message and how many sub-exceptions the group holds. */
  override __str__(): string {
    const n = this.exceptions.length;
    return `${this.args[0] as string} (${n} sub-exception${n > 1 ? "s" : ""})`;
  }

  /** `ExceptionGroup: msg (2 sub-exceptions)`: the name and `str(eg)`, as for every other exception. */
  override toString(): string {
    return `${this.name}: ${this.__str__()}`;
  }

  /**
   * Python's `BaseExceptionGroup(message, excs)`, which makes an ExceptionGroup when every
   * exception is an Exception (JavaScript constructors cannot choose their class).
   */
  static create(message: string, exceptions: unknown[]): BaseExceptionGroup {
    if (exceptions.every((e) => e instanceof Exception)) return new ExceptionGroup(message, exceptions);
    return new BaseExceptionGroup(message, exceptions);
  }

  /** Python's `derive`: same class, new exceptions. */
  derive(excs: unknown[]): BaseExceptionGroup {
    const Ctor = this.constructor as new (m: string, e: unknown[]) => BaseExceptionGroup;
    return new Ctor(this.args[0] as string, excs);
  }

  /** The subgroup of leaf exceptions matching `condition` (a class, classes, or a predicate). */
  subgroup(condition: Matcher): BaseExceptionGroup | null {
    return this.split(condition)[0];
  }

  /** `[match, rest]`, each a group of the same shape or null. */
  split(condition: Matcher): [BaseExceptionGroup | null, BaseExceptionGroup | null] {
    const pred = toPredicate(condition);
    if (pred(this)) return [this, null];
    const match: unknown[] = [];
    const rest: unknown[] = [];
    for (const e of this.exceptions) {
      if (e instanceof BaseExceptionGroup) {
        const [m, r] = e.split(pred);
        if (m) match.push(m);
        if (r) rest.push(r);
      } else if (pred(e)) match.push(e);
      else rest.push(e);
    }
    const wrap = (excs: unknown[]) => {
      if (excs.length === 0) return null;
      const g = this.derive(excs);
      g.__cause__ = this.__cause__;
      g.__context__ = this.__context__;
      return g;
    };
    return [wrap(match), wrap(rest)];
  }
}

/** Python's `ExceptionGroup`: a group of `Exception`s (also an `Exception`). */
export class ExceptionGroup extends BaseExceptionGroup {
  constructor(message: string, exceptions: unknown[]) {
    super(message, exceptions);
    for (const e of exceptions) {
      if (!(e instanceof Exception)) {
        throw new TypeError(`Cannot nest BaseExceptions in an ExceptionGroup`);
      }
    }
  }
}

/**
 * Python's `str(e)` for anything thrown: an exception's `message`, but for exception groups
 * the message with its sub-exception count; `String(x)` for a non-Error.
 */
export function _exc_str(e: unknown): string {
  if (e instanceof BaseException) return e.__str__();
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Python's `isinstance(exc, (SystemExit, KeyboardInterrupt))`: what asyncio re-raises at once. */
export function _isSystemExiting(e: unknown): boolean {
  return e instanceof SystemExit || e instanceof KeyboardInterrupt;
}

export const __all__ = [
  "BrokenBarrierError", "CancelledError", "InvalidStateError", "TimeoutError", "IncompleteReadError",
  "LimitOverrunError", "SendfileNotAvailableError",
] as const;
