/**
 * Subprocesses with streams (subprocess.py): create_subprocess_exec, create_subprocess_shell,
 * Process. Runs on Node's child_process; the pipes are loop transports, so reads, writes and
 * the exit are seen in the loop's order.
 */
import { get_running_loop } from "./events.js";
import { BrokenPipeError, ConnectionResetError } from "./exceptions.js";
import { coroutine } from "./coroutines.js";
import { gather } from "./tasks.js";
import { logger } from "./log.js";
import { FlowControlMixin, StreamReader, StreamWriter } from "./streams.js";
import { DEVNULL, PIPE, STDOUT } from "./base_subprocess.js";
import type { BaseSubprocessTransport } from "./base_subprocess.js";
import type { SubprocessOptions } from "./unix_events.js";
import type { BaseEventLoop } from "./base_events.js";
import type { Future } from "./futures.js";
import type { NodeEventLoop } from "./node_events.js";

export const __all__ = ["create_subprocess_exec", "create_subprocess_shell"] as const;
export { PIPE, STDOUT, DEVNULL };

const _DEFAULT_LIMIT = 2 ** 16; // streams._DEFAULT_LIMIT

/** Like StreamReaderProtocol, but for a subprocess. */
export class SubprocessStreamProtocol extends FlowControlMixin {
  _limit: number;
  stdin: StreamWriter | null = null;
  stdout: StreamReader | null = null;
  stderr: StreamReader | null = null;
  _transport: BaseSubprocessTransport | null = null;
  _process_exited = false;
  _pipe_fds: number[] = [];
  _stdin_closed: Future<unknown>;

  constructor(limit: number, loop: BaseEventLoop) {
    super(loop);
    this._limit = limit;
    this._stdin_closed = this._loop.create_future();
  }

  override toString(): string {
    const info = [this.constructor.name];
    if (this.stdin !== null) info.push(`stdin=${this.stdin}`);
    if (this.stdout !== null) info.push(`stdout=${this.stdout}`);
    if (this.stderr !== null) info.push(`stderr=${this.stderr}`);
    return `<${info.join(" ")}>`;
  }

  override connection_made(transport: unknown): void {
    const t = transport as BaseSubprocessTransport;
    this._transport = t;
    const stdout_transport = t.get_pipe_transport(1);
    if (stdout_transport !== null) {
      this.stdout = new StreamReader(this._limit, this._loop);
      this.stdout.set_transport(stdout_transport as never);
      this._pipe_fds.push(1);
    }
    const stderr_transport = t.get_pipe_transport(2);
    if (stderr_transport !== null) {
      this.stderr = new StreamReader(this._limit, this._loop);
      this.stderr.set_transport(stderr_transport as never);
      this._pipe_fds.push(2);
    }
    const stdin_transport = t.get_pipe_transport(0);
    if (stdin_transport !== null) this.stdin = new StreamWriter(stdin_transport as never, this as never, null, this._loop);
  }

  pipe_data_received(fd: number, data: Uint8Array): void {
    const reader = fd === 1 ? this.stdout : fd === 2 ? this.stderr : null;
    reader?.feed_data(data);
  }

  pipe_connection_lost(fd: number, exc: unknown): void {
    if (fd === 0) {
      this.stdin?.close();
      this.connection_lost(exc);
      if (exc === null || exc === undefined) this._stdin_closed.set_result(null);
      else {
        this._stdin_closed.set_exception(exc);
        this._stdin_closed._log_traceback = false;
      }
      return;
    }
    const reader = fd === 1 ? this.stdout : fd === 2 ? this.stderr : null;
    if (reader !== null) {
      if (exc === null || exc === undefined) reader.feed_eof();
      else reader.set_exception(exc);
    }
    const i = this._pipe_fds.indexOf(fd);
    if (i >= 0) this._pipe_fds.splice(i, 1);
    this._maybe_close_transport();
  }

  process_exited(): void {
    this._process_exited = true;
    this._maybe_close_transport();
  }

  _maybe_close_transport(): void {
    if (this._pipe_fds.length === 0 && this._process_exited) {
      this._transport!.close();
      this._transport = null;
    }
  }

  override _get_close_waiter(stream: StreamWriter): Future<unknown> {
    return stream === this.stdin ? this._stdin_closed : (undefined as never);
  }
}

/** A running child process: its pid, streams, return code, and how to wait for it. */
export class Process {
  _transport: BaseSubprocessTransport;
  _protocol: SubprocessStreamProtocol;
  _loop: BaseEventLoop;
  stdin: StreamWriter | null;
  stdout: StreamReader | null;
  stderr: StreamReader | null;
  pid: number;

  constructor(transport: BaseSubprocessTransport, protocol: SubprocessStreamProtocol, loop: BaseEventLoop) {
    this._transport = transport;
    this._protocol = protocol;
    this._loop = loop;
    this.stdin = protocol.stdin;
    this.stdout = protocol.stdout;
    this.stderr = protocol.stderr;
    this.pid = transport.get_pid();
  }

  toString(): string {
    return `<${this.constructor.name} ${this.pid}>`;
  }

  /** The return code once the process has exited (minus the signal number if killed), else null. */
  get returncode(): number | null {
    return this._transport.get_returncode();
  }

  /** Wait until the process exits; resolves to its return code. */
  wait = coroutine(async function wait(this: Process): Promise<number> {
    return await this._transport._wait();
  }) as unknown as () => PromiseLike<number>;

  send_signal(signal: number | NodeJS.Signals): void {
    this._transport.send_signal(signal);
  }
  terminate(): void {
    this._transport.terminate();
  }
  kill(): void {
    this._transport.kill();
  }

  async _feed_stdin(input: Uint8Array): Promise<void> {
    const debug = this._loop.get_debug();
    try {
      this.stdin!.write(input);
      if (debug) logger.debug(`${this} communicate: feed stdin (${input.length} bytes)`);
      await this.stdin!.drain();
    } catch (exc) {
      if (!(exc instanceof BrokenPipeError || exc instanceof ConnectionResetError)) throw exc;
      // communicate() ignores BrokenPipeError and ConnectionResetError
      if (debug) logger.debug(`${this} communicate: stdin got ${exc}`);
    }
    if (debug) logger.debug(`${this} communicate: close stdin`);
    this.stdin!.close();
  }

  async _noop(): Promise<null> {
    return null;
  }

  async _read_stream(fd: number): Promise<Uint8Array> {
    const transport = this._transport.get_pipe_transport(fd)!;
    const stream = fd === 2 ? this.stderr! : this.stdout!;
    const output = await stream.read();
    transport.close();
    return output;
  }

  /**
   * Send `input` to stdin (then close it), read stdout and stderr to EOF, wait for the exit;
   * resolves to `[stdout, stderr]` (null for a stream that is not a PIPE).
   */
  communicate = coroutine(async function communicate(this: Process, input: Uint8Array | null = null): Promise<[Uint8Array | null, Uint8Array | null]> {
    const stdin = input !== null ? () => this._feed_stdin(input) : () => this._noop();
    const stdout = this.stdout !== null ? () => this._read_stream(1) : () => this._noop();
    const stderr = this.stderr !== null ? () => this._read_stream(2) : () => this._noop();
    const [, out, err] = await gather(stdin, stdout, stderr);
    await this.wait();
    return [out as Uint8Array | null, err as Uint8Array | null];
  }) as unknown as (input?: Uint8Array | null) => PromiseLike<[Uint8Array | null, Uint8Array | null]>;
}

/** The options of create_subprocess_exec / create_subprocess_shell: stdio, `limit`, `cwd`, `env`, … */
export type CreateOptions = SubprocessOptions & { limit?: number };
/** An argument of create_subprocess_exec: text or bytes (Python's str or bytes). */
export type ExecArg = string | Uint8Array;

/** Run `cmd` in /bin/sh; resolves to a Process. `{ stdin, stdout, stderr, limit, cwd, env }`. */
export async function create_subprocess_shell(cmd: string, options: CreateOptions = {}): Promise<Process> {
  const loop = get_running_loop() as NodeEventLoop;
  const { limit = _DEFAULT_LIMIT, stdin = null, stdout = null, stderr = null, ...kwds } = options;
  const [transport, protocol] = await loop.subprocess_shell(() => new SubprocessStreamProtocol(limit, loop), cmd, { stdin, stdout, stderr, ...kwds });
  return new Process(transport, protocol, loop);
}

/**
 * Run `program` with `args` (no shell); resolves to a Process. A trailing options object
 * `{ stdin, stdout, stderr, limit, cwd, env }`; stdio defaults to inherit (null), as Python's.
 */
export function create_subprocess_exec(program: string, ...args: [...ExecArg[], CreateOptions]): Promise<Process>;
export function create_subprocess_exec(program: string, ...args: ExecArg[]): Promise<Process>;
export async function create_subprocess_exec(program: string, ...args: unknown[]): Promise<Process> {
  const last = args[args.length - 1];
  const options = (last !== null && typeof last === "object" && !(last instanceof Uint8Array) ? args.pop() : {}) as CreateOptions;
  const loop = get_running_loop() as NodeEventLoop;
  const { limit = _DEFAULT_LIMIT, stdin = null, stdout = null, stderr = null, ...kwds } = options;
  const [transport, protocol] = await loop.subprocess_exec(() => new SubprocessStreamProtocol(limit, loop), program, ...args, { stdin, stdout, stderr, ...kwds });
  return new Process(transport, protocol, loop);
}
