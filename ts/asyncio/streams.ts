/**
 * Streams (streams.py): StreamReader, StreamWriter, StreamReaderProtocol, and
 * open_connection / start_server / open_unix_connection / start_unix_server.
 *
 * The reader's buffer is a list of the Buffers the transport received (Python's bytearray,
 * without the copy into it): a read that a single chunk satisfies returns that chunk (or a
 * view of it) as is; data spanning chunks is concatenated once. feed_data() keeps a
 * reference to `data`, so do not mutate a buffer after feeding it.
 */
import { Future } from "./futures.js";
import { _get_event_loop, get_running_loop } from "./events.js";
import { IncompleteReadError, LimitOverrunError, RuntimeError, ValueError, ConnectionResetError, StopAsyncIteration } from "./exceptions.js";
import { iscoroutine } from "./coroutines.js";
import { _await, sleep } from "./tasks.js";
import { type Coro, _lazyCoroutine } from "./mixins.js";
import { logger } from "./log.js";
import { Protocol } from "./protocols.js";
import { checkOptions } from "./_options.js";
import { extractStack } from "./format_helpers.js";
import type { BaseEventLoop } from "./base_events.js";
import type { NodeEventLoop, ConnectionOptions, ServerOptions } from "./node_events.js";
import type { Server } from "./server.js";

export const __all__ = [
  "StreamReader", "StreamWriter", "StreamReaderProtocol", "open_connection", "start_server",
  "open_unix_connection", "start_unix_server",
] as const;

const _DEFAULT_LIMIT = 2 ** 16; // 64 KiB
const EMPTY = Buffer.alloc(0);

type Transport = any;
type ClientConnectedCb = (reader: StreamReader, writer: StreamWriter) => unknown;

/**
 * A wrapper for create_connection() returning a `[reader, writer]` pair:
 * `const [r, w] = await asyncio.open_connection("127.0.0.1", 8888, { limit })`.
 */
export async function open_connection(host: string | null = null, port: number | string | null = null,
  options: { limit?: number } & ConnectionOptions = {}): Promise<[StreamReader, StreamWriter]> {
  const { limit = _DEFAULT_LIMIT, ...kwds } = options;
  const loop = get_running_loop() as NodeEventLoop;
  const reader = new StreamReader(limit, loop);
  const protocol = new StreamReaderProtocol(reader, null, loop);
  const [transport] = await loop.create_connection(() => protocol, host, port, kwds);
  const writer = new StreamWriter(transport, protocol, reader, loop);
  return [reader, writer];
}

/**
 * Start a socket server, calling `client_connected_cb(reader, writer)` for each client; if
 * it returns a coroutine, that runs as a Task. Resolves to the Server (as create_server).
 */
export async function start_server(client_connected_cb: ClientConnectedCb, host: string | string[] | null = null,
  port: number | string | null = null, options: { limit?: number } & ServerOptions = {}): Promise<Server> {
  const { limit = _DEFAULT_LIMIT, ...kwds } = options;
  const loop = get_running_loop() as NodeEventLoop;
  const factory = () => {
    const reader = new StreamReader(limit, loop);
    return new StreamReaderProtocol(reader, client_connected_cb, loop);
  };
  return await loop.create_server(factory, host, port, kwds);
}

/** Similar to `open_connection` but works with UNIX Domain Sockets. */
export async function open_unix_connection(path: string | null = null, options: { limit?: number; [k: string]: unknown } = {}): Promise<[StreamReader, StreamWriter]> {
  const { limit = _DEFAULT_LIMIT, ...kwds } = options;
  const loop = get_running_loop() as NodeEventLoop;
  const reader = new StreamReader(limit as number, loop);
  const protocol = new StreamReaderProtocol(reader, null, loop);
  const [transport] = await loop.create_unix_connection(() => protocol, path, kwds);
  const writer = new StreamWriter(transport, protocol, reader, loop);
  return [reader, writer];
}

/** Similar to `start_server` but works with UNIX Domain Sockets. */
export async function start_unix_server(client_connected_cb: ClientConnectedCb, path: string | null = null,
  options: { limit?: number; [k: string]: unknown } = {}): Promise<Server<string>> {
  const { limit = _DEFAULT_LIMIT, ...kwds } = options;
  const loop = get_running_loop() as NodeEventLoop;
  const factory = () => {
    const reader = new StreamReader(limit as number, loop);
    return new StreamReaderProtocol(reader, client_connected_cb, loop);
  };
  return await loop.create_unix_server(factory, path, kwds);
}

/**
 * Reusable flow control logic for StreamWriter.drain(): pause_writing(), resume_writing()
 * and connection_lost(). Subclasses overriding them must call the super methods.
 */
export class FlowControlMixin extends Protocol {
  _loop: BaseEventLoop;
  _paused = false;
  _drain_waiters: Future<unknown>[] = [];
  _connection_lost = false;

  constructor(loop: BaseEventLoop | null = null) {
    super();
    this._loop = loop ?? _get_event_loop();
  }

  override pause_writing(): void {
    if (this._paused) throw new Error("AssertionError");
    this._paused = true;
    if (this._loop.get_debug()) logger.debug(`${this} pauses writing`);
  }

  override resume_writing(): void {
    if (!this._paused) throw new Error("AssertionError");
    this._paused = false;
    if (this._loop.get_debug()) logger.debug(`${this} resumes writing`);
    for (const waiter of this._drain_waiters) if (!waiter.done()) waiter.set_result(null);
  }

  override connection_lost(exc: unknown): void {
    this._connection_lost = true;
    // Wake up the writer(s) if currently paused.
    if (!this._paused) return;
    for (const waiter of this._drain_waiters) {
      if (!waiter.done()) {
        if (exc === null || exc === undefined) waiter.set_result(null);
        else waiter.set_exception(exc);
      }
    }
  }

  _drain_helper(): Coro<void> {
    return this._co_drain_helper() as Coro<void>;
  }
  *_co_drain_helper(): Generator<unknown, void, unknown> {
    if (this._connection_lost) throw new ConnectionResetError("Connection lost");
    if (!this._paused) return;
    const waiter = this._loop.create_future();
    this._drain_waiters.push(waiter);
    try {
      yield* waiter;
    } finally {
      this._drain_waiters.splice(this._drain_waiters.indexOf(waiter), 1);
    }
  }

  _get_close_waiter(_stream: StreamWriter): Future<unknown> {
    throw new Error("NotImplementedError");
  }
}
_lazyCoroutine(FlowControlMixin.prototype._co_drain_helper, "FlowControlMixin._drain_helper");

/**
 * Adapts between Protocol and StreamReader (a helper class rather than making StreamReader a
 * Protocol, so its users cannot call the protocol's methods by accident).
 */
export class StreamReaderProtocol extends FlowControlMixin {
  _source_traceback: string[] | null = null;
  _stream_reader_: StreamReader | null;
  _strong_reader: StreamReader | null = null;
  _reject_connection = false;
  _stream_writer: StreamWriter | null = null;
  _task: Future<unknown> | null = null;
  _transport: Transport | null = null;
  _client_connected_cb: ClientConnectedCb | null;
  _over_ssl = false;
  _closed: Future<unknown>;

  constructor(stream_reader: StreamReader | null, client_connected_cb: ClientConnectedCb | null = null, loop: BaseEventLoop | null = null) {
    super(loop);
    this._stream_reader_ = stream_reader;
    if (stream_reader !== null) this._source_traceback = stream_reader._source_traceback;
    // This is a stream created by the `create_server()` function.
    if (client_connected_cb !== null) this._strong_reader = stream_reader;
    this._client_connected_cb = client_connected_cb;
    this._closed = this._loop.create_future();
  }

  get _stream_reader(): StreamReader | null {
    return this._stream_reader_;
  }

  _replace_writer(writer: StreamWriter): void {
    const transport = writer.transport;
    this._stream_writer = writer;
    this._transport = transport;
    this._over_ssl = transport.get_extra_info("sslcontext") !== null;
  }

  override connection_made(transport: Transport): void {
    if (this._reject_connection) {
      const context: Record<string, unknown> = {
        message: 'An open stream was garbage collected prior to establishing network connection; call "stream.close()" explicitly.',
      };
      if (this._source_traceback) context.source_traceback = this._source_traceback;
      this._loop.call_exception_handler(context);
      transport.abort();
      return;
    }
    this._transport = transport;
    const reader = this._stream_reader;
    if (reader !== null) reader.set_transport(transport);
    this._over_ssl = transport.get_extra_info("sslcontext") !== null;
    if (this._client_connected_cb !== null) {
      this._stream_writer = new StreamWriter(transport, this, reader, this._loop);
      const res = this._client_connected_cb(reader!, this._stream_writer);
      if (iscoroutine(res)) {
        const callback = (task: Future<unknown>) => {
          // A cancelled task has no exception() to give: CancelledError is raised, as in CPython.
          const exc = task.exception();
          if (exc !== null) {
            this._loop.call_exception_handler({ message: "Unhandled exception in client_connected_cb", exception: exc, transport });
            transport.close();
          }
        };
        this._task = this._loop.create_task(res);
        this._task.add_done_callback(callback);
      }
      this._strong_reader = null;
    }
  }

  override connection_lost(exc: unknown): void {
    const reader = this._stream_reader;
    if (reader !== null) {
      if (exc === null || exc === undefined) reader.feed_eof();
      else reader.set_exception(exc);
    }
    if (!this._closed.done()) {
      if (exc === null || exc === undefined) this._closed.set_result(null);
      else this._closed.set_exception(exc);
    }
    super.connection_lost(exc);
    this._stream_reader_ = null;
    this._stream_writer = null;
    this._task = null;
    this._transport = null;
  }

  override data_received(data: Uint8Array): void {
    const reader = this._stream_reader_;
    if (reader !== null) reader.feed_data(data);
  }

  override eof_received(): boolean {
    const reader = this._stream_reader;
    if (reader !== null) reader.feed_eof();
    // Prevent a warning in SSLProtocol.eof_received: "returning true from eof_received() has no effect when using ssl"
    if (this._over_ssl) return false;
    return true;
  }

  override _get_close_waiter(_stream: StreamWriter): Future<unknown> {
    return this._closed;
  }
}

/**
 * Wraps a Transport: write(), writelines(), [can_]write_eof(), get_extra_info() and close(),
 * plus drain() to wait for flow control, and the `transport` property.
 */
export class StreamWriter {
  _transport: Transport;
  _protocol: StreamReaderProtocol;
  _reader: StreamReader | null;
  _loop: BaseEventLoop;
  _complete_fut: Future<unknown>;

  constructor(transport: Transport, protocol: StreamReaderProtocol, reader: StreamReader | null, loop: BaseEventLoop) {
    this._transport = transport;
    this._protocol = protocol;
    // drain() expects that the reader has an exception() method
    if (reader !== null && !(reader instanceof StreamReader)) throw new Error("AssertionError");
    this._reader = reader;
    this._loop = loop;
    this._complete_fut = loop.create_future();
    this._complete_fut.set_result(null);
  }

  toString(): string {
    const info = [this.constructor.name, `transport=${this._transport}`];
    if (this._reader !== null) info.push(`reader=${this._reader}`);
    return `<${info.join(" ")}>`;
  }

  get transport(): Transport {
    return this._transport;
  }

  write(data: Uint8Array): void {
    this._transport.write(data);
  }

  writelines(data: Iterable<Uint8Array>): void {
    this._transport.writelines(data);
  }

  write_eof(): void {
    return this._transport.write_eof();
  }

  can_write_eof(): boolean {
    return this._transport.can_write_eof();
  }

  close(): void {
    return this._transport.close();
  }

  is_closing(): boolean {
    return this._transport.is_closing();
  }

  /** Wait until the stream is closed (connection_lost ran); raises its error, if any. */
  wait_closed(): Coro<void> {
    return this._co_wait_closed() as Coro<void>;
  }
  *_co_wait_closed(): Generator<unknown, void, unknown> {
    yield* this._protocol._get_close_waiter(this);
  }

  get_extra_info(name: string, defaultValue: unknown = null): any {
    return this._transport.get_extra_info(name, defaultValue);
  }

  /**
   * Flush the write buffer: `w.write(data); await w.drain()` waits while the transport's
   * buffer is over its high-water mark. Raises the reader's exception, or
   * ConnectionResetError if the connection was lost.
   */
  drain(): Coro<void> {
    return this._co_drain() as Coro<void>;
  }
  *_co_drain(): Generator<unknown, void, unknown> {
    if (this._reader !== null) {
      const exc = this._reader.exception();
      if (exc !== null) throw exc;
    }
    if (this._transport.is_closing()) {
      // Wait for protocol.connection_lost() call; raise connection closing error if any,
      // ConnectionResetError otherwise. Yield to the event loop so connection_lost() may be called.
      yield* _await(sleep(0));
    }
    // Through _drain_helper(), so that a protocol subclass's override is used, as in CPython.
    yield* _await(this._protocol._drain_helper());
  }

  /** Upgrade an existing stream-based connection to TLS. */
  async start_tls(sslcontext: unknown, options: { server_hostname?: string | null; ssl_handshake_timeout?: number | null } = {}): Promise<void> {
    checkOptions("start_tls", options, ["server_hostname", "ssl_handshake_timeout"]);
    const server_side = this._protocol._client_connected_cb !== null;
    const protocol = this._protocol;
    await this._co_drain();
    const new_transport = await (this._loop as NodeEventLoop).start_tls(this._transport, protocol, sslcontext, {
      server_side, server_hostname: options.server_hostname ?? null, ssl_handshake_timeout: options.ssl_handshake_timeout ?? null,
    });
    this._transport = new_transport;
    protocol._replace_writer(this);
  }
}
_lazyCoroutine(StreamWriter.prototype._co_drain, "StreamWriter.drain");
_lazyCoroutine(StreamWriter.prototype._co_wait_closed, "StreamWriter.wait_closed");

/** A buffered reader of a stream: read(), readline(), readexactly(), readuntil(), `for await`. */
export class StreamReader {
  _source_traceback: string[] | null = null;
  _limit: number;
  _loop: BaseEventLoop;
  /** The received chunks, oldest first, and their total length (Python's `_buffer`). */
  _chunks: Uint8Array[] = [];
  _size = 0;
  _eof = false;
  _waiter: Future<unknown> | null = null;
  _exception: unknown = null;
  _transport: Transport | null = null;
  _paused = false;

  constructor(limit: number = _DEFAULT_LIMIT, loop: BaseEventLoop | null = null) {
    // The line length limit is a security feature; it also doubles as half the buffer limit.
    if (limit <= 0) throw new ValueError("Limit cannot be <= 0");
    this._limit = limit;
    this._loop = loop ?? _get_event_loop();
    if (this._loop.get_debug()) this._source_traceback = extractStack();
  }

  /** The buffered bytes as one Buffer (Python's `_buffer`; joins the chunks once). */
  get _buffer(): Uint8Array {
    return this._joined();
  }

  private _joined(): Uint8Array {
    const c = this._chunks;
    if (c.length === 0) return EMPTY;
    if (c.length > 1) {
      const b = Buffer.concat(c, this._size);
      c.length = 0;
      c.push(b);
    }
    return c[0];
  }

  /** Remove and return the first n (≤ buffered) bytes: a whole chunk or a view when one chunk holds them. */
  private _take(n: number): Uint8Array {
    const c = this._chunks;
    const first = c[0];
    if (first.length === n) {
      c.shift();
      this._size -= n;
      return first;
    }
    if (first.length > n) {
      c[0] = first.subarray(n);
      this._size -= n;
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      const ch = c[0];
      const k = Math.min(ch.length, n - off);
      out.set(k === ch.length ? ch : ch.subarray(0, k), off);
      off += k;
      if (k === ch.length) c.shift();
      else c[0] = ch.subarray(k);
    }
    this._size -= n;
    return out;
  }

  private _clear(): Uint8Array {
    const all = this._joined();
    this._chunks.length = 0;
    this._size = 0;
    return all;
  }

  toString(): string {
    const info = ["StreamReader"];
    if (this._size) info.push(`${this._size} bytes`);
    if (this._eof) info.push("eof");
    if (this._limit !== _DEFAULT_LIMIT) info.push(`limit=${this._limit}`);
    if (this._waiter) info.push(`waiter=${this._waiter}`);
    if (this._exception) info.push(`exception=${this._exception}`);
    if (this._transport) info.push(`transport=${this._transport}`);
    if (this._paused) info.push("paused");
    return `<${info.join(" ")}>`;
  }

  exception(): unknown {
    return this._exception;
  }

  set_exception(exc: unknown): void {
    this._exception = exc;
    const waiter = this._waiter;
    if (waiter !== null) {
      this._waiter = null;
      if (!waiter.cancelled()) waiter.set_exception(exc);
    }
  }

  /** Wakeup read*() functions waiting for data or EOF. */
  _wakeup_waiter(): void {
    const waiter = this._waiter;
    if (waiter !== null) {
      this._waiter = null;
      if (!waiter.cancelled()) waiter.set_result(null);
    }
  }

  set_transport(transport: Transport): void {
    if (this._transport !== null) throw new Error("AssertionError: Transport already set");
    this._transport = transport;
  }

  _maybe_resume_transport(): void {
    if (this._paused && this._size <= this._limit) {
      this._paused = false;
      this._transport.resume_reading();
    }
  }

  feed_eof(): void {
    this._eof = true;
    this._wakeup_waiter();
  }

  /** Return true if the buffer is empty and 'feed_eof' was called. */
  at_eof(): boolean {
    return this._eof && this._size === 0;
  }

  feed_data(data: Uint8Array): void {
    if (this._eof) throw new Error("AssertionError: feed_data after feed_eof");
    if (!data.length) return;
    this._chunks.push(data);
    this._size += data.length;
    this._wakeup_waiter();
    if (this._transport !== null && !this._paused && this._size > 2 * this._limit) {
      try {
        this._transport.pause_reading();
        this._paused = true;
      } catch (e) {
        if ((e as Error)?.name !== "NotImplementedError") throw e;
        this._transport = null;
      }
    }
  }

  /** Wait until feed_data() or feed_eof() is called; if the stream was paused, resume it. */
  _wait_for_data(func_name: string): Coro<void> {
    return this._co_wait_for_data(func_name) as Coro<void>;
  }
  *_co_wait_for_data(func_name: string): Generator<unknown, void, unknown> {
    // StreamReader uses a future to link the protocol feed_data() method to a read coroutine.
    // Running two read coroutines at the same time would have an unexpected behaviour.
    if (this._waiter !== null) {
      throw new RuntimeError(`${func_name}() called while another coroutine is already waiting for incoming data`);
    }
    if (this._eof) throw new Error("AssertionError: _wait_for_data after EOF");
    // Waiting for data while paused will make deadlock, so prevent it.
    if (this._paused) {
      this._paused = false;
      this._transport.resume_reading();
    }
    this._waiter = this._loop.create_future();
    try {
      yield* this._waiter;
    } finally {
      this._waiter = null;
    }
  }


  /**
   * Read until a newline; returns the line with its b"\n", a partial line at EOF, or an
   * empty buffer at EOF. Over the limit: ValueError (the line, if complete, is dropped).
   */
  readline(): Coro<Uint8Array> {
    return this._co_readline() as Coro<Uint8Array>;
  }
  *_co_readline(): Generator<unknown, Uint8Array, unknown> {
    const sep = NL;
    const seplen = sep.length;
    try {
      return yield* this._co_readuntil(sep);
    } catch (e) {
      if (e instanceof IncompleteReadError) return e.partial;
      if (e instanceof LimitOverrunError) {
        const buf = this._joined();
        if (Buffer.from(buf.buffer, buf.byteOffset, buf.length).subarray(e.consumed).indexOf(sep) === 0) this._take(e.consumed + seplen);
        else this._clear();
        this._maybe_resume_transport();
        throw new ValueError(e.args[0]);
      }
      throw e;
    }
  }

  /**
   * Read until `separator` is found; returns the data with the separator. At EOF without it:
   * IncompleteReadError (its `partial` holds the data, the buffer is emptied). Over the
   * limit: LimitOverrunError, the data stays in the buffer.
   */
  readuntil(separator: Uint8Array | string = NL): Coro<Uint8Array> {
    return this._co_readuntil(separator) as Coro<Uint8Array>;
  }
  *_co_readuntil(separator: Uint8Array | string = NL): Generator<unknown, Uint8Array, unknown> {
    const sep = typeof separator === "string" ? Buffer.from(separator, "latin1") : separator;
    const seplen = sep.length;
    if (seplen === 0) throw new ValueError("Separator should be at least one-byte string");
    if (this._exception !== null) throw this._exception;
    let offset = 0;
    let isep: number;
    for (;;) {
      const buflen = this._size;
      if (buflen - offset >= seplen) {
        const buf = this._joined();
        isep = Buffer.from(buf.buffer, buf.byteOffset, buf.length).indexOf(sep, offset);
        if (isep !== -1) break;
        offset = buflen + 1 - seplen;
        if (offset > this._limit) throw new LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
      }
      if (this._eof) {
        const chunk = this._clear();
        throw new IncompleteReadError(chunk, null);
      }
      yield* this._co_wait_for_data("readuntil");
    }
    if (isep > this._limit) throw new LimitOverrunError("Separator is found, but chunk is longer than limit", isep);
    const chunk = this._take(isep + seplen);
    this._maybe_resume_transport();
    return chunk;
  }

  /**
   * Read up to `n` bytes (as soon as at least one is available); with n < 0 (the default),
   * read until EOF. An empty buffer at EOF.
   */
  read(n = -1): Coro<Uint8Array> {
    return this._co_read(n) as Coro<Uint8Array>;
  }
  *_co_read(n = -1): Generator<unknown, Uint8Array, unknown> {
    if (this._exception !== null) throw this._exception;
    if (n === 0) return EMPTY;
    if (n < 0) {
      // This used to just loop creating a new waiter hoping to collect everything in
      // self._buffer, but that would deadlock if the subprocess sends more than self.limit bytes.
      const blocks: Uint8Array[] = [];
      for (;;) {
        const block = yield* this._co_read(this._limit);
        if (!block.length) break;
        blocks.push(block);
      }
      return blocks.length === 1 ? blocks[0] : Buffer.concat(blocks);
    }
    if (this._size === 0 && !this._eof) {
      yield* this._co_wait_for_data("read");
    }
    const data = this._size === 0 ? EMPTY : this._take(Math.min(n, this._size));
    this._maybe_resume_transport();
    return data;
  }

  /** Read exactly `n` bytes; at EOF before that, IncompleteReadError with what was read in `partial`. */
  readexactly(n: number): Coro<Uint8Array> {
    return this._co_readexactly(n) as Coro<Uint8Array>;
  }
  *_co_readexactly(n: number): Generator<unknown, Uint8Array, unknown> {
    if (n < 0) throw new ValueError("readexactly size can not be less than zero");
    if (this._exception !== null) throw this._exception;
    if (n === 0) return EMPTY;
    while (this._size < n) {
      if (this._eof) {
        const incomplete = this._clear();
        throw new IncompleteReadError(incomplete, n);
      }
      yield* this._co_wait_for_data("readexactly");
    }
    const data = this._take(n);
    this._maybe_resume_transport();
    return data;
  }

  /** `for await (const line of reader)`: lines until EOF (Python's `async for`). */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return { next: async () => {
      const val = await this.readline();
      return val.length === 0 ? { done: true, value: undefined } : { done: false, value: val };
    } };
  }

  __aiter__(): this {
    return this;
  }

  __anext__(): Coro<Uint8Array> {
    return this._co_anext() as Coro<Uint8Array>;
  }
  *_co_anext(): Generator<unknown, Uint8Array, unknown> {
    const val = yield* this._co_readline();
    if (val.length === 0) throw new StopAsyncIteration();
    return val;
  }
}
for (const [name, fn] of Object.entries({
  _wait_for_data: StreamReader.prototype._co_wait_for_data, readline: StreamReader.prototype._co_readline,
  readuntil: StreamReader.prototype._co_readuntil, read: StreamReader.prototype._co_read,
  readexactly: StreamReader.prototype._co_readexactly, __anext__: StreamReader.prototype._co_anext,
})) _lazyCoroutine(fn, `StreamReader.${name}`);

const NL = Buffer.from("\n");
