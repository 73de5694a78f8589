/**
 * The subprocess transport's logic (base_subprocess.py): pipes connected in a task, protocol
 * calls held back until connection_made, connection_lost once the process has exited and
 * every pipe is closed. The Node-specific start is _UnixSubprocessTransport (unix_events.ts).
 */
import { SubprocessTransport } from "./transports.js";
import { BaseProtocol } from "./protocols.js";
import { ProcessLookupError, _isSystemExiting } from "./exceptions.js";
import { logger } from "./log.js";
import { coroutine, type Coroutine } from "./coroutines.js";
import type { BaseEventLoop } from "./base_events.js";
import type { Future } from "./futures.js";
import type { ChildProcess } from "node:child_process";

export const __all__ = [] as const;

/** Python's subprocess constants, as asyncio.subprocess re-exports them. */
export const PIPE = -1;
export const STDOUT = -2;
export const DEVNULL = -3;

interface SubprocessProtocolLike {
  connection_made(t: unknown): void;
  connection_lost(exc: unknown): void;
  pipe_data_received(fd: number, data: Uint8Array): void;
  pipe_connection_lost(fd: number, exc: unknown): void;
  process_exited(): void;
  pause_writing?(): void;
  resume_writing?(): void;
}

interface PipeTransportLike {
  close(): void;
}

type Call = [(...a: any[]) => unknown, unknown[]];

export abstract class BaseSubprocessTransport extends SubprocessTransport {
  _closed = false;
  _protocol: SubprocessProtocolLike | null;
  _loop: BaseEventLoop | null;
  _proc: ChildProcess | null = null;
  _pid: number | null = null;
  _returncode: number | null = null;
  _exit_waiters: Future<number>[] | null = [];
  _pending_calls: Call[] | null = [];
  _pipes = new Map<number, WriteSubprocessPipeProto | null>();
  _finished = false;

  constructor(loop: BaseEventLoop, protocol: SubprocessProtocolLike, extra: Record<string, unknown> | null = null) {
    super(extra);
    this._protocol = protocol;
    this._loop = loop;
  }

  /** The rest of CPython's __init__, once the subclass has spawned the process. */
  _started(args: string | string[], waiter: Future<unknown> | null): void {
    this._pid = this._proc!.pid ?? null;
    this._extra.subprocess = this._proc;
    if (this._loop!.get_debug()) {
      const program = typeof args === "string" ? args : args[0];
      logger.debug(`process '${program}' created: pid ${this._pid}`);
    }
    this._loop!.create_task(this._connect_pipes(waiter) as Coroutine<void>);
  }

  override toString(): string {
    const info = [this.constructor.name];
    if (this._closed) info.push("closed");
    if (this._pid !== null) info.push(`pid=${this._pid}`);
    if (this._returncode !== null) info.push(`returncode=${this._returncode}`);
    else if (this._pid !== null) info.push("running");
    else info.push("not started");
    return `<${info.join(" ")}>`;
  }

  override set_protocol(protocol: SubprocessProtocolLike): void {
    this._protocol = protocol;
  }
  override get_protocol(): SubprocessProtocolLike | null {
    return this._protocol;
  }
  override is_closing(): boolean {
    return this._closed;
  }

  /** Close the pipes; kill the process if it still runs. */
  override close(): void {
    if (this._closed) return;
    this._closed = true;
    for (const proto of this._pipes.values()) {
      if (proto === null || proto.pipe === null) continue;
      proto.pipe.close();
    }
    if (this._proc !== null && this._returncode === null && this._proc.exitCode === null && this._proc.signalCode === null) {
      if (this._loop?.get_debug()) logger.warning(`Close running child process: kill ${this}`);
      try {
        this._proc.kill("SIGKILL");
      } catch {
        // ProcessLookupError: already gone
      }
    }
  }

  override get_pid(): number {
    return this._pid as number;
  }
  override get_returncode(): number | null {
    return this._returncode;
  }
  override get_pipe_transport(fd: number): PipeTransportLike | null {
    const p = this._pipes.get(fd);
    return p === undefined || p === null ? null : p.pipe;
  }

  _check_proc(): void {
    if (this._proc === null) throw new ProcessLookupError();
  }

  /** Send a signal (a number, as Python's signal.SIGTERM, or a name such as "SIGTERM"). */
  override send_signal(signal: number | NodeJS.Signals): void {
    this._check_proc();
    // Popen.send_signal: nothing once the process has been reaped.
    if (this._returncode !== null) return;
    this._proc!.kill(signal);
  }
  override terminate(): void {
    this.send_signal("SIGTERM");
  }
  override kill(): void {
    this.send_signal("SIGKILL");
  }

  /** Connect the pipe transports (a task, as in CPython), then connection_made and the held calls. */
  _connect_pipes = coroutine(async function (this: BaseSubprocessTransport, waiter: Future<unknown> | null): Promise<void> {
    try {
      const proc = this._proc!;
      const loop = this._loop! as BaseEventLoop & PipeLoop;
      if (proc.stdin !== null && this._pipes.has(0)) {
        const [, pipe] = await loop.connect_write_pipe(() => new WriteSubprocessPipeProto(this, 0), proc.stdin);
        this._pipes.set(0, pipe as WriteSubprocessPipeProto);
      }
      if (proc.stdout !== null && this._pipes.has(1)) {
        const [, pipe] = await loop.connect_read_pipe(() => new ReadSubprocessPipeProto(this, 1), proc.stdout);
        this._pipes.set(1, pipe as WriteSubprocessPipeProto);
      }
      if (proc.stderr !== null && this._pipes.has(2)) {
        const [, pipe] = await loop.connect_read_pipe(() => new ReadSubprocessPipeProto(this, 2), proc.stderr);
        this._pipes.set(2, pipe as WriteSubprocessPipeProto);
      }
      loop.call_soon(() => this._protocol!.connection_made(this));
      for (const [callback, data] of this._pending_calls!) loop.call_soon(callback, ...data);
      this._pending_calls = null;
    } catch (exc) {
      if (_isSystemExiting(exc)) throw exc;
      if (waiter !== null && !waiter.cancelled()) waiter.set_exception(exc);
      return;
    }
    if (waiter !== null && !waiter.cancelled()) waiter.set_result(null);
  }) as unknown as (waiter: Future<unknown> | null) => unknown;

  _call(cb: (...a: any[]) => unknown, ...data: unknown[]): void {
    if (this._pending_calls !== null) this._pending_calls.push([cb, data]);
    else this._loop!.call_soon(cb, ...data);
  }

  _pipe_connection_lost(fd: number, exc: unknown): void {
    this._call((f: number, e: unknown) => this._protocol!.pipe_connection_lost(f, e), fd, exc);
    this._try_finish();
  }

  _pipe_data_received(fd: number, data: Uint8Array): void {
    this._call((f: number, d: Uint8Array) => this._protocol!.pipe_data_received(f, d), fd, data);
  }

  _process_exited(returncode: number): void {
    if (this._loop!.get_debug()) logger.info(`${this} exited with return code ${returncode}`);
    this._returncode = returncode;
    this._call(() => this._protocol!.process_exited());
    this._try_finish();
  }

  /** Wait until the process exits; resolves to its return code. */
  async _wait(): Promise<number> {
    if (this._returncode !== null) return this._returncode;
    const waiter = this._loop!.create_future<number>();
    this._exit_waiters!.push(waiter);
    return await waiter;
  }

  _try_finish(): void {
    if (this._returncode === null) return;
    if ([...this._pipes.values()].every((p) => p !== null && p.disconnected)) {
      this._finished = true;
      this._call((e: unknown) => this._call_connection_lost(e), null);
    }
  }

  _call_connection_lost(exc: unknown): void {
    try {
      this._protocol!.connection_lost(exc);
    } finally {
      for (const waiter of this._exit_waiters!) if (!waiter.cancelled()) waiter.set_result(this._returncode!);
      this._exit_waiters = null;
      this._loop = null;
      this._proc = null;
      this._protocol = null;
    }
  }
}

interface PipeLoop {
  connect_write_pipe(factory: () => unknown, pipe: unknown): Promise<[unknown, unknown]>;
  connect_read_pipe(factory: () => unknown, pipe: unknown): Promise<[unknown, unknown]>;
}

export class WriteSubprocessPipeProto extends BaseProtocol {
  proc: BaseSubprocessTransport | null;
  fd: number;
  pipe: PipeTransportLike | null = null;
  disconnected = false;

  constructor(proc: BaseSubprocessTransport, fd: number) {
    super();
    this.proc = proc;
    this.fd = fd;
  }
  override connection_made(transport: unknown): void {
    this.pipe = transport as PipeTransportLike;
  }
  override toString(): string {
    return `<${this.constructor.name} fd=${this.fd} pipe=${this.pipe}>`;
  }
  override connection_lost(exc: unknown): void {
    this.disconnected = true;
    this.proc!._pipe_connection_lost(this.fd, exc);
    this.proc = null;
  }
  override pause_writing(): void {
    this.proc!._protocol!.pause_writing?.();
  }
  override resume_writing(): void {
    this.proc!._protocol!.resume_writing?.();
  }
}

export class ReadSubprocessPipeProto extends WriteSubprocessPipeProto {
  data_received(data: Uint8Array): void {
    this.proc!._pipe_data_received(this.fd, data);
  }
  eof_received(): void {}
}
