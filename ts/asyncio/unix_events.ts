/**
 * Unix-specific pieces (unix_events.py): signal handlers, pipe transports over Node streams,
 * the subprocess transport over child_process, and the child watchers.
 *
 * Child watchers (unix_events.py). Node's child_process reaps its children itself, so there
 * is nothing to watch: like asyncio's Proactor loop (which has no watchers), each class
 * raises NotImplementedError saying so. They exist so that ported code gets that clear error.
 */

import type { Readable, Writable } from "node:stream";
import { spawn } from "node:child_process";
import { constants as osConstants } from "node:os";
import { isMainThread } from "node:worker_threads";
import { BrokenPipeError, FileNotFoundError, NotImplementedError, OSError, RuntimeError, ValueError } from "./exceptions.js";
import * as signal from "../signal.js";
import * as coroutines from "./coroutines.js";
import { Handle } from "./events.js";
import { BaseSubprocessTransport, DEVNULL, PIPE, STDOUT } from "./base_subprocess.js";
import { ReadTransport, _FlowControlMixin } from "./transports.js";
import { _set_result_unless_cancelled } from "./futures.js";
import type { Future } from "./futures.js";
import type { BaseEventLoop } from "./base_events.js";
import { fromNodeError } from "./_oserror.js";
import { logger } from "./log.js";

export const __all__ = [
  "AbstractChildWatcher", "SafeChildWatcher", "FastChildWatcher", "PidfdChildWatcher",
  "MultiLoopChildWatcher", "ThreadedChildWatcher",
] as const;

const WHY = "child watchers are not needed on Node.js: child_process reaps its children and reports their exit";

export abstract class AbstractChildWatcher {
  constructor() {
    throw new NotImplementedError(`${new.target.name}: ${WHY}`);
  }
}
export class SafeChildWatcher extends AbstractChildWatcher {}
export class FastChildWatcher extends AbstractChildWatcher {}
export class PidfdChildWatcher extends AbstractChildWatcher {}
export class MultiLoopChildWatcher extends AbstractChildWatcher {}
export class ThreadedChildWatcher extends AbstractChildWatcher {}

// ---- signal handlers (unix_events._UnixSelectorEventLoop) ----
//
// CPython's loop sets a do-nothing Python handler for the signal and asks the C handler to
// write the signal's number to the loop's self-pipe (set_wakeup_fd); the self-pipe's reader
// runs as a handle, and calls the loop's Handle for the signal with _add_callback: the
// callback runs one iteration after the one that read the pipe. Here the handler set with
// signal.signal() (one process.on listener) is the pipe's write end: it queues the number and
// adds the loop's self-reader handle as I/O does, so the callback comes in the same place.

/** What a loop that handles signals keeps (NodeEventLoop's fields). */
export interface _SignalLoop extends BaseEventLoop {
  /** The callback's Handle per signal number (CPython's _signal_handlers). */
  _signal_handlers: Map<number, Handle>;
  /** Numbers that arrived and wait for the self-reader: the self-pipe's content. */
  _signal_pending: number[];
  /** The handle that reads them (_read_from_self), and the handler that writes them. */
  _self_reader: Handle | null;
  _signal_wakeup: signal.SignalHandler | null;
}

/** Validate a signal (_check_signal): its number, or TypeError/ValueError as CPython's. */
export function _check_signal(sig: unknown): number {
  const signum = signal._signum(sig);
  if (!signal.valid_signals().has(signum)) throw new ValueError(`invalid signal number ${signum}`);
  return signum;
}

/** loop.add_signal_handler(sig, callback, ...args): see NodeEventLoop. */
export function _add_signal_handler(loop: _SignalLoop, sig: unknown, callback: (...args: any[]) => unknown, args: unknown[]): void {
  if (coroutines.iscoroutine(callback) || (typeof callback === "function" && coroutines.iscoroutinefunction(callback))) {
    throw new TypeError("coroutines cannot be used with add_signal_handler()");
  }
  const signum = _check_signal(sig);
  loop._check_closed();
  // set_wakeup_fd() raises ValueError if this is not the main thread.
  if (!isMainThread) throw new RuntimeError("set_wakeup_fd only works in main thread of the main interpreter");
  const handle = new Handle(callback, args, loop, null);
  loop._signal_handlers.set(signum, handle);
  loop._signal_wakeup ??= (n: number) => {
    loop._signal_pending.push(n);
    if (loop._signal_pending.length === 1) {
      loop._self_reader ??= new Handle(() => _read_from_self(loop), [], loop, null);
      loop._add_callback(loop._self_reader);
    }
  };
  try {
    signal.signal(signum, loop._signal_wakeup);
  } catch (exc) {
    loop._signal_handlers.delete(signum);
    if (exc instanceof OSError && exc.errno === 22) throw new RuntimeError(`sig ${signum} cannot be caught`);
    throw exc;
  }
}

/** The self-pipe's reader (_read_from_self, _process_self_data). */
function _read_from_self(loop: _SignalLoop): void {
  const pending = loop._signal_pending.splice(0);
  for (const signum of pending) _handle_signal(loop, signum);
}

/** The signal arrived (_handle_signal): its handle joins the ready queue. */
function _handle_signal(loop: _SignalLoop, signum: number): void {
  const handle = loop._signal_handlers.get(signum);
  if (handle === undefined) return; // Assume it's some race condition.
  if (handle._cancelled) _remove_signal_handler(loop, signum); // Remove it properly.
  else loop._add_callback(handle);
}

/** loop.remove_signal_handler(sig): see NodeEventLoop. */
export function _remove_signal_handler(loop: _SignalLoop, sig: unknown): boolean {
  const signum = _check_signal(sig);
  if (!loop._signal_handlers.delete(signum)) return false;
  // CPython restores default_int_handler for SIGINT (KeyboardInterrupt); Node's default exits.
  signal.signal(signum, signal.SIG_DFL);
  return true;
}

/** loop.close() removes the loop's signal handlers (_UnixSelectorEventLoop.close). */
export function _close_signal_handlers(loop: _SignalLoop): void {
  for (const signum of [...loop._signal_handlers.keys()]) _remove_signal_handler(loop, signum);
  loop._signal_pending.length = 0;
}

// ---- pipe transports (unix_events._UnixReadPipeTransport, _UnixWritePipeTransport) ----
//
// On Node a "pipe" is a stream: a child's stdin/stdout/stderr, process.stdin, a socket end.
// Stream events are the selector's: 'data' queues the chunk and schedules the transport's
// read Handle, which hands one chunk to the protocol per loop iteration (as CPython's
// _read_ready reads once per iteration); 'end' is the EOF read.


/** constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

interface PipeProtocol {
  connection_made(t: unknown): void;
  connection_lost(exc: unknown): void;
  data_received?(data: Uint8Array): void;
  eof_received?(): unknown;
  pause_writing?(): void;
  resume_writing?(): void;
}

function isReadable(x: unknown): x is Readable {
  return x !== null && typeof x === "object" && typeof (x as Readable).on === "function" && typeof (x as Readable).read === "function";
}
function isWritable(x: unknown): x is Writable {
  return x !== null && typeof x === "object" && typeof (x as Writable).on === "function" && typeof (x as Writable).write === "function";
}

export class _UnixReadPipeTransport extends ReadTransport {
  _loop: BaseEventLoop | null;
  _pipe: Readable | null;
  _protocol: PipeProtocol | null;
  _closing = false;
  _paused = false;
  private _chunks: Uint8Array[] = [];
  private _eof = false;
  private _reading = false;
  private _readHandle: Handle | null = null;

  constructor(loop: BaseEventLoop, pipe: unknown, protocol: PipeProtocol, waiter: Future<unknown> | null = null, extra: Record<string, unknown> | null = null) {
    super(extra);
    if (!isReadable(pipe)) throw new ValueError("Pipe transport is for pipes/sockets only.");
    this._extra.pipe = pipe;
    this._loop = loop;
    this._pipe = pipe;
    this._protocol = protocol;
    pipe.pause();
    pipe.on("data", (chunk: Uint8Array) => {
      this._chunks.push(chunk);
      this._schedule_read();
    });
    pipe.on("end", () => {
      this._eof = true;
      this._schedule_read();
    });
    pipe.on("error", (err: unknown) => {
      this._loop?._call_soon(() => { if (this._pipe !== null && !this._closing) this._fatal_error(fromNodeError(err), "Fatal read error on pipe transport"); }, [], null);
    });
    loop.call_soon(() => this._protocol!.connection_made(this));
    // only start reading when connection_made() has been called
    loop.call_soon(() => this._add_reader());
    if (waiter !== null) loop.call_soon(_set_result_unless_cancelled, waiter, null);
  }

  private _add_reader(): void {
    if (!this.is_reading()) return;
    this._reading = true;
    this._pipe!.resume();
  }

  private _remove_reader(): void {
    this._reading = false;
    this._pipe?.pause();
  }

  private _schedule_read(): void {
    if (this._readHandle === null && this._reading && this._loop !== null) {
      this._readHandle = this._loop._call_soon(() => this._read_ready(), [], null);
    }
  }

  /** One read: one chunk to data_received, or the EOF. */
  _read_ready(): void {
    this._readHandle = null;
    if (!this._reading || this._closing) return;
    const data = this._chunks.shift();
    if (data !== undefined) {
      this._protocol!.data_received!(data);
      if (this._chunks.length > 0 || this._eof) this._schedule_read();
      return;
    }
    if (this._eof) {
      if (this._loop!.get_debug()) logger.info(`${this} was closed by peer`);
      this._closing = true;
      this._remove_reader();
      this._loop!.call_soon(() => this._protocol!.eof_received?.());
      this._loop!.call_soon(() => this._call_connection_lost(null));
    }
  }

  override is_reading(): boolean {
    return !this._paused && !this._closing;
  }

  override pause_reading(): void {
    if (!this.is_reading()) return;
    this._paused = true;
    this._remove_reader();
  }

  override resume_reading(): void {
    if (this._closing || !this._paused) return;
    this._paused = false;
    this._reading = true;
    this._pipe!.resume();
    if (this._chunks.length > 0 || this._eof) this._schedule_read();
  }

  override set_protocol(protocol: PipeProtocol): void {
    this._protocol = protocol;
  }
  override get_protocol(): PipeProtocol | null {
    return this._protocol;
  }
  override is_closing(): boolean {
    return this._closing;
  }
  override close(): void {
    if (!this._closing) this._close(null);
  }

  _fatal_error(exc: unknown, message = "Fatal error on pipe transport"): void {
    if (exc instanceof OSError && exc.errno === 5) {
      if (this._loop!.get_debug()) logger.debug(`${this}: ${message}`);
    } else {
      this._loop!.call_exception_handler({ message, exception: exc, transport: this, protocol: this._protocol });
    }
    this._close(exc);
  }

  _close(exc: unknown): void {
    this._closing = true;
    this._remove_reader();
    this._loop!.call_soon(() => this._call_connection_lost(exc));
  }

  _call_connection_lost(exc: unknown): void {
    try {
      this._protocol!.connection_lost(exc);
    } finally {
      this._pipe?.destroy();
      this._pipe = null;
      this._protocol = null;
      this._loop = null;
    }
  }

  override toString(): string {
    const info = [this.constructor.name];
    if (this._pipe === null) info.push("closed");
    else if (this._closing) info.push("closing");
    info.push(this._pipe === null ? "closed" : this._reading ? "polling" : "idle");
    return `<${info.join(" ")}>`;
  }
}

export class _UnixWritePipeTransport extends _FlowControlMixin {
  _pipe: Writable | null;
  _conn_lost = 0;
  _closing = false; // Set when close() or write_eof() called.
  private _ended = false;

  constructor(loop: BaseEventLoop, pipe: unknown, protocol: PipeProtocol, waiter: Future<unknown> | null = null, extra: Record<string, unknown> | null = null) {
    super(extra, loop);
    if (!isWritable(pipe)) throw new ValueError("Pipe transport is only for pipes, sockets and character devices");
    this._extra.pipe = pipe;
    this._pipe = pipe;
    this._protocol = protocol;
    pipe.on("drain", () => this._loop?._call_soon(() => this._write_ready(), [], null));
    pipe.on("error", (err: unknown) => {
      // The reading end went away: CPython sees it as EOF on the pipe (_read_ready).
      this._loop?._call_soon(() => this._pipe_error(err), [], null);
    });
    loop.call_soon(() => this._protocol.connection_made(this));
    if (waiter !== null) loop.call_soon(_set_result_unless_cancelled, waiter, null);
  }

  override get_write_buffer_size(): number {
    return this._pipe?.writableLength ?? 0;
  }

  private _pipe_error(err: unknown): void {
    if (this._pipe === null || this._ended) return;
    const code = (err as { code?: string }).code;
    if (code === "EPIPE" || code === "ECONNRESET") {
      if (this._loop!.get_debug()) logger.info(`${this} was closed by peer`);
      this._close(this.get_write_buffer_size() > 0 ? new BrokenPipeError() : null);
    } else {
      this._conn_lost += 1;
      this._fatal_error(fromNodeError(err), "Fatal write error on pipe transport");
    }
  }

  override write(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) throw new TypeError(`data argument must be a bytes-like object, not '${typeof data}'`);
    if (data.length === 0) return;
    if (this._conn_lost || this._closing) {
      if (this._conn_lost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) logger.warning("pipe closed by peer or os.write(pipe, data) raised exception.");
      this._conn_lost += 1;
      return;
    }
    this._pipe!.write(data);
    this._maybe_pause_protocol();
  }

  override writelines(list_of_data: Iterable<Uint8Array>): void {
    for (const d of list_of_data) this.write(d);
  }

  /** Node wrote the buffer out ('drain'): resume the protocol, finish a pending close. */
  _write_ready(): void {
    if (this._pipe === null || this.get_write_buffer_size() > 0) return;
    this._maybe_resume_protocol(); // May append to buffer.
    if (this._closing && this.get_write_buffer_size() === 0) this._call_connection_lost(null);
  }

  override can_write_eof(): boolean {
    return true;
  }

  override write_eof(): void {
    if (this._closing) return;
    this._closing = true;
    if (this.get_write_buffer_size() === 0) this._loop!.call_soon(() => this._call_connection_lost(null));
  }

  override set_protocol(protocol: unknown): void {
    this._protocol = protocol;
  }
  override get_protocol(): unknown {
    return this._protocol;
  }
  override is_closing(): boolean {
    return this._closing;
  }
  override close(): void {
    if (this._pipe !== null && !this._closing) this.write_eof();
  }
  override abort(): void {
    this._close(null);
  }

  _fatal_error(exc: unknown, message = "Fatal error on pipe transport"): void {
    if (exc instanceof OSError) {
      if (this._loop!.get_debug()) logger.debug(`${this}: ${message}`);
    } else {
      this._loop!.call_exception_handler({ message, exception: exc, transport: this, protocol: this._protocol });
    }
    this._close(exc);
  }

  _close(exc: unknown = null): void {
    this._closing = true;
    this._loop!.call_soon(() => this._call_connection_lost(exc));
  }

  _call_connection_lost(exc: unknown): void {
    if (this._pipe === null) return;
    try {
      this._protocol.connection_lost(exc);
    } finally {
      this._ended = true;
      if (exc === null) this._pipe.end();
      else this._pipe.destroy();
      this._pipe = null;
      this._protocol = null;
      this._loop = null;
    }
  }

  override toString(): string {
    const info = [this.constructor.name];
    if (this._pipe === null) info.push("closed");
    else if (this._closing) info.push("closing");
    if (this._pipe !== null) info.push(`bufsize=${this.get_write_buffer_size()}`);
    return `<${info.join(" ")}>`;
  }
}

// ---- the subprocess transport (unix_events._UnixSubprocessTransport) on child_process ----

/** Where a child's stdin/stdout/stderr goes: PIPE, DEVNULL, STDOUT (stderr only), null (inherit), an fd or a stream. */
export type StdioSpec = number | null | undefined | Readable | Writable;

function nodeStdio(spec: StdioSpec, fd: number): "pipe" | "ignore" | "inherit" | number | Readable | Writable {
  if (spec === null || spec === undefined) return "inherit";
  if (spec === PIPE) return "pipe";
  if (spec === DEVNULL) return "ignore";
  if (spec === STDOUT) {
    if (fd !== 2) throw new ValueError("STDOUT can only be used for stderr");
    return "inherit"; // the child's shell prelude points fd 2 at fd 1 (see _spawn)
  }
  if (typeof spec === "number") {
    if (spec < 0) throw new ValueError(`invalid stdio value ${spec}`);
    return spec;
  }
  return spec;
}

/** A process's return code as Python's: the exit status, or minus the signal's number. */
function returncodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return -((osConstants.signals as Record<string, number>)[signal ?? ""] ?? 0);
}

export interface SubprocessOptions {
  stdin?: StdioSpec;
  stdout?: StdioSpec;
  stderr?: StdioSpec;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Python's `executable`: the program to run instead of args[0]. */
  executable?: string;
}

export class _UnixSubprocessTransport extends BaseSubprocessTransport {
  /** Spawns the child; resolves once it runs (or rejects with the OSError Popen would raise). */
  static async _spawn(
    loop: BaseEventLoop, protocol: ConstructorParameters<typeof BaseSubprocessTransport>[1], args: string | string[], shell: boolean,
    options: SubprocessOptions, waiter: Future<unknown>, extra: Record<string, unknown> | null,
  ): Promise<_UnixSubprocessTransport> {
    const t = new _UnixSubprocessTransport(loop, protocol, extra);
    const { stdin = PIPE, stdout = PIPE, stderr = PIPE } = options;
    if (stdin === PIPE) t._pipes.set(0, null);
    if (stdout === PIPE) t._pipes.set(1, null);
    if (stderr === PIPE) t._pipes.set(2, null);
    const stdio = [nodeStdio(stdin, 0), nodeStdio(stdout, 1), nodeStdio(stderr, 2)];
    let file = shell ? "/bin/sh" : (options.executable ?? (args as string[])[0]);
    let argv = shell ? ["-c", args as string] : (args as string[]).slice(1);
    if (stderr === STDOUT) {
      // Node cannot hand one pipe to two fds; Popen's stderr=STDOUT is `2>&1` done by the
      // child itself: a shell that redirects, then execs the program (same pid).
      if (shell) argv = ["-c", `exec 2>&1\n${args as string}`];
      else {
        argv = ["-c", 'exec 2>&1; exec "$0" "$@"', file, ...argv];
        file = "/bin/sh";
      }
    }
    const child = spawn(file, argv, {
      stdio: stdio as never, cwd: options.cwd, env: options.env as NodeJS.ProcessEnv | undefined,
    });
    if (child.pid === undefined) {
      // Popen raises at once (FileNotFoundError for a missing program); Node reports it as an event.
      const err = await new Promise<unknown>((resolve) => child.once("error", resolve));
      const e = fromNodeError(err);
      if (e instanceof OSError && (err as { code?: string }).code === "ENOENT") {
        throw new FileNotFoundError(2, "No such file or directory", shell ? "/bin/sh" : file);
      }
      throw e;
    }
    t._proc = child;
    child.on("exit", (code, signal) => {
      // What CPython's child watcher does: call_soon_threadsafe(transp._process_exited, returncode)
      if (t._loop !== null && !t._loop.is_closed()) t._loop.call_soon_threadsafe(() => t._process_exited(returncodeOf(code, signal)));
    });
    t._started(args, waiter);
    return t;
  }
}
