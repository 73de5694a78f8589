/**
 * Exceptions that cross the bridge, and the bridge's own.
 *
 * A remote exception arrives as the class of the same name when tulip has one (Python's
 * built-ins and asyncio's, from `asyncio/exceptions.ts`, plus JavaScript's `TypeError`,
 * `RangeError`…); any other name arrives as {@link RemoteError}, which keeps it.
 * Either way `remoteType` and `remoteTraceback` hold what the other side reported.
 */
import * as exc from "../asyncio/exceptions.js";

/** A remote exception whose type has no counterpart here; `remoteType` is its name there. */
export class RemoteError extends exc.Exception {
  remoteType: string;
  remoteTraceback: string;
  constructor(remoteType: string, message: string, remoteTraceback = "") {
    super(message);
    this.remoteType = remoteType;
    this.remoteTraceback = remoteTraceback;
  }
  override toString(): string {
    return `RemoteError(${this.remoteType}): ${this.message}`;
  }
}
Object.defineProperty(RemoteError.prototype, "name", { value: "RemoteError", writable: true, configurable: true });

/** The other side has no function registered under the called name. */
export class UnknownFunctionError extends exc.Exception {}
Object.defineProperty(UnknownFunctionError.prototype, "name", { value: "UnknownFunctionError", writable: true, configurable: true });

type ErrorClass = new (message: string) => Error;

// Classes whose constructor takes the message alone; the others (IncompleteReadError,
// LimitOverrunError, exception groups) arrive as RemoteError, since their fields do not cross.
// So does every name that would end the loop or a generator if thrown here (SystemExit,
// KeyboardInterrupt, GeneratorExit, BaseException, StopIteration, StopAsyncIteration): only
// Exception subclasses, and CancelledError (a remote task that cancelled itself), are rebuilt.
const NOT_REBUILT = ["IncompleteReadError", "LimitOverrunError", "BaseExceptionGroup", "ExceptionGroup",
  "StopIteration", "StopAsyncIteration"];
const KNOWN: Record<string, ErrorClass> = {};
for (const [name, value] of Object.entries(exc)) {
  if (typeof value !== "function" || !(value.prototype instanceof Error)) continue;
  if (NOT_REBUILT.includes(name)) continue;
  if (!Object.prototype.isPrototypeOf.call(exc.Exception.prototype, value.prototype) && value !== exc.CancelledError) continue;
  KNOWN[(value.prototype as Error).name] = value as unknown as ErrorClass;
}
for (const cls of [TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, Error]) {
  KNOWN[cls.name] = cls;
}
KNOWN.UnknownFunctionError = UnknownFunctionError;

/** What the wire carries for an exception: its type name, message and traceback text. */
export type ErrorInfo = [type: string, message: string, traceback: string];

/** Describes a thrown value for the wire (anything may be thrown in JavaScript). */
export function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof RemoteError) return [e.remoteType, e.message, e.remoteTraceback];
  if (e instanceof Error) return [e.name || "Error", exc._exc_str(e), e.stack ?? ""];
  return ["Exception", String(e), ""];
}

/** Rebuilds an exception from the wire: the same-named class, or RemoteError. */
export function fromErrorInfo([type, message, traceback]: ErrorInfo): Error {
  const cls = Object.hasOwn(KNOWN, type) ? KNOWN[type] : undefined;
  const e = cls ? new cls(String(message)) : new RemoteError(String(type), String(message), String(traceback));
  if (cls) {
    // The wire carries the remote str(e): keep it as the message (KeyError would quote it again).
    e.message = String(message);
    Object.assign(e, { remoteType: type, remoteTraceback: traceback });
  }
  // The local stack says where it surfaced; the remote one says where it happened.
  if (traceback) e.stack = `${e.stack}\n--- remote traceback (${type}) ---\n${traceback}`;
  return e;
}
