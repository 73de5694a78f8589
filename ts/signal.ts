/**
 * Python's signal module, the part asyncio programs use (`import * as signal from
 * "tulip/signal"`): the signal numbers (Linux values) as `SIGTERM`… and `Signals`,
 * `valid_signals()`, and `signal()`/`getsignal()` with `SIG_DFL`/`SIG_IGN`: one handler per
 * signal, as in Python, installed as one `process.on(name)` listener that calls it.
 *
 * What Node changes (README, "Signals"): `SIGKILL`, `SIGSTOP` (and 32, 33, which glibc keeps)
 * cannot be caught, as in Python (OSError EINVAL); the real-time signals 34–64 have no name
 * in Node, so `process.on` cannot listen to them (NotImplementedError); a handler runs from
 * Node's event loop, not between two bytecodes, so it cannot interrupt running JavaScript;
 * Node's default actions are Node's (SIGINT exits the process instead of raising
 * KeyboardInterrupt, so `getsignal(SIGINT)` is `SIG_DFL`; SIGUSR1 starts Node's inspector;
 * SIGPIPE is ignored, as in Python). Other `process.on` listeners are left alone and run
 * beside the handler; `getsignal()` of a signal only they listen to is null, as Python's is
 * for a handler not installed from Python.
 */
import { isMainThread } from "node:worker_threads";
import { NotImplementedError, OSError, ValueError } from "./asyncio/exceptions.js";
import { repr } from "./asyncio/format_helpers.js";

/** The signals, by number (Linux's): `Signals.SIGTERM` is 15, `Signals[15]` is "SIGTERM". */
export enum Signals {
  SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8,
  SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15,
  SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22,
  SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29,
  SIGPWR = 30, SIGSYS = 31, SIGRTMIN = 34, SIGRTMAX = 64,
}

export const SIGHUP = Signals.SIGHUP, SIGINT = Signals.SIGINT, SIGQUIT = Signals.SIGQUIT, SIGILL = Signals.SIGILL;
export const SIGTRAP = Signals.SIGTRAP, SIGABRT = Signals.SIGABRT, SIGIOT = Signals.SIGABRT, SIGBUS = Signals.SIGBUS;
export const SIGFPE = Signals.SIGFPE, SIGKILL = Signals.SIGKILL, SIGUSR1 = Signals.SIGUSR1, SIGSEGV = Signals.SIGSEGV;
export const SIGUSR2 = Signals.SIGUSR2, SIGPIPE = Signals.SIGPIPE, SIGALRM = Signals.SIGALRM, SIGTERM = Signals.SIGTERM;
export const SIGSTKFLT = Signals.SIGSTKFLT, SIGCHLD = Signals.SIGCHLD, SIGCONT = Signals.SIGCONT, SIGSTOP = Signals.SIGSTOP;
export const SIGTSTP = Signals.SIGTSTP, SIGTTIN = Signals.SIGTTIN, SIGTTOU = Signals.SIGTTOU, SIGURG = Signals.SIGURG;
export const SIGXCPU = Signals.SIGXCPU, SIGXFSZ = Signals.SIGXFSZ, SIGVTALRM = Signals.SIGVTALRM, SIGPROF = Signals.SIGPROF;
export const SIGWINCH = Signals.SIGWINCH, SIGIO = Signals.SIGIO, SIGPOLL = Signals.SIGIO, SIGPWR = Signals.SIGPWR;
export const SIGSYS = Signals.SIGSYS, SIGRTMIN = Signals.SIGRTMIN, SIGRTMAX = Signals.SIGRTMAX;
/** The signal count plus one, as Python's `signal.NSIG`. */
export const NSIG = 65;

/** The default action (Handlers.SIG_DFL). */
export const SIG_DFL = 0;
/** Ignore the signal (Handlers.SIG_IGN). */
export const SIG_IGN = 1;

/** A Python signal handler: called with the signal number and (always null here) the frame. */
export type SignalHandler = (signum: number, frame: null) => unknown;
export type HandlerSpec = SignalHandler | typeof SIG_DFL | typeof SIG_IGN;

/** The signal numbers this platform has (Linux: 1–31 and 34–64), as Python's. */
export function valid_signals(): Set<number> {
  const s = new Set<number>();
  for (let n = 1; n < NSIG; n++) if (n !== 32 && n !== 33) s.add(n);
  return s;
}

/**
 * A signal as a number: a number is itself, a name ("SIGTERM") its number — tulip takes names
 * too, as Node does. Anything else: Python's TypeError for a sig that is not an int.
 * @internal
 */
export function _signum(sig: unknown): number {
  if (typeof sig === "number" && Number.isInteger(sig)) return sig;
  if (typeof sig === "string" && /^SIG[A-Z0-9]+$/.test(sig)) {
    const n = sig === "SIGIOT" ? SIGABRT : sig === "SIGPOLL" ? SIGIO : (Signals as unknown as Record<string, number>)[sig];
    if (typeof n === "number") return n;
  }
  throw new TypeError(`sig must be an int, not ${repr(sig)}`);
}

/** The name Node listens to for a number, or null for the real-time signals (they have none). */
function nodeName(signum: number): NodeJS.Signals | null {
  if (signum >= SIGRTMIN) return null;
  return (Signals[signum] as NodeJS.Signals | undefined) ?? null;
}

/** Per signal: the handler set from tulip and the one process listener that calls it. */
const installed = new Map<number, { handler: SignalHandler | typeof SIG_IGN; listener: () => void }>();

function checkRange(signum: number): void {
  if (signum < 1 || signum >= NSIG) throw new ValueError("signal number out of range");
}

/**
 * Set the handler for a signal and return the previous one (`signal.signal`): a function
 * called with `(signum, null)` from Node's event loop when the signal arrives, `SIG_IGN`, or
 * `SIG_DFL` (Node's default action again). While a handler or SIG_IGN is set, Node's default
 * action (for most signals, exiting) does not run.
 * @example
 * ```ts
 * import * as signal from "tulip/signal";
 * const previous = signal.signal(signal.SIGHUP, (signum) => console.log("reload on", signal.Signals[signum]));
 * signal.signal(signal.SIGHUP, previous ?? signal.SIG_DFL);
 * ```
 */
export function signal(signalnum: number | string, handler: HandlerSpec): HandlerSpec | null {
  const signum = _signum(signalnum);
  if (handler !== SIG_DFL && handler !== SIG_IGN && typeof handler !== "function") {
    throw new TypeError("signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object");
  }
  if (!isMainThread) throw new ValueError("signal only works in main thread of the main interpreter");
  checkRange(signum);
  const name = nodeName(signum);
  if (signum === SIGKILL || signum === SIGSTOP || signum === 32 || signum === 33) throw new OSError(22, "Invalid argument");
  if (name === null) throw new NotImplementedError(`signal ${signum}: Node.js listens to named signals only (process.on), not to real-time signals`);
  const previous = getsignal(signum);
  const entry = installed.get(signum);
  if (handler === SIG_DFL) {
    if (entry !== undefined) {
      installed.delete(signum);
      process.off(name, entry.listener);
    }
  } else if (entry !== undefined) {
    entry.handler = handler;
  } else {
    const e = {
      handler: handler as SignalHandler | typeof SIG_IGN,
      listener: () => {
        const h = e.handler;
        if (typeof h === "function") h(signum, null);
      },
    };
    installed.set(signum, e);
    process.on(name, e.listener);
  }
  return previous;
}

/**
 * The current handler of a signal (`signal.getsignal`): the one set by `signal()`, SIG_IGN,
 * SIG_DFL when none is, or null when only listeners added by other code (`process.on`) are.
 */
export function getsignal(signalnum: number | string): HandlerSpec | null {
  const signum = _signum(signalnum);
  checkRange(signum);
  const entry = installed.get(signum);
  if (entry !== undefined) return entry.handler;
  const name = nodeName(signum);
  return name !== null && process.listenerCount(name) > 0 ? null : SIG_DFL;
}
