/**
 * Stream socket transports on Node.js sockets (selector_events._SelectorSocketTransport).
 *
 * Node's socket events are the selector's: 'data' and 'end' queue the chunk (or EOF) and
 * add the transport's one read Handle to the ready queue, as a selector adds a reader's
 * Handle when its fd is readable; the protocol's methods run from that Handle, in the
 * loop, in CPython's order. Writes go straight to the Node socket (it writes at once when
 * it can and buffers the rest, as CPython's write() does); its buffered byte count is the
 * transport's write buffer size, and write completions re-check the flow-control marks
 * through the write Handle. Received Buffers are handed to data_received as they come
 * (no copy); write() keeps a reference to `data` until it is sent (no copy either).
 */
import type * as net from "node:net";
import { Handle } from "./events.js";
import { ConnectionError, ConnectionResetError, OSError as OSErrorClass, RuntimeError } from "./exceptions.js";
import { logger } from "./log.js";
import { BufferedProtocol } from "./protocols.js";
import { _FlowControlMixin, _reraiseSystemExiting } from "./transports.js";
import { TransportSocket, _NodeSock } from "./trsock.js";
import { fromNodeError } from "./_oserror.js";
import type { BaseEventLoop } from "./base_events.js";
import type { Future } from "./futures.js";

export const __all__ = [] as const;

/** What a transport needs of its Server: the count of live connections (Server._attach/_detach). */
export interface _ServerLike {
  _attach(): void;
  _detach(): void;
}

/** Where an 'error' Node emitted before any transport listened is kept (node_events sets it). */
export const _kEarlyError = Symbol.for("tulip.earlyError");

/** constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;
/** The EOF marker in the inbound queue. */
const EOF = null;

/** Python's `type(x).__name__` for the TypeError of write(). */
export function _typeName(x: unknown): string {
  if (x === null || x === undefined) return "NoneType";
  if (typeof x === "string") return "str";
  if (typeof x === "number") return Number.isInteger(x) ? "int" : "float";
  if (typeof x === "boolean") return "bool";
  if (Array.isArray(x)) return "list";
  return (x as object).constructor?.name ?? typeof x;
}

/** Bytes-like: a Uint8Array (Buffer), another typed array, DataView or ArrayBuffer, viewed as bytes. */
export function _asBytes(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return null;
}

/**
 * What the socket and datagram transports share (selector_events._SelectorTransport): the
 * protocol, the closing state, abort() and the fatal-error path. A subclass says how its Node
 * socket stops (_stop_io) and is released once connection_lost() has run (_release).
 */
export abstract class _SelectorTransport extends _FlowControlMixin {
  _protocol_connected = false;
  _conn_lost = 0;
  _closing = false;

  override set_protocol(protocol: unknown): void {
    this._protocol = protocol;
    this._protocol_connected = true;
  }

  override get_protocol(): any {
    return this._protocol;
  }

  override is_closing(): boolean {
    return this._closing;
  }

  override abort(): void {
    this._force_close(null);
  }

  /** Should be called from exception handler only. */
  readonly _fatal_error = (exc: unknown, message = "Fatal error on transport"): void => {
    if (exc instanceof OSErrorClass) {
      if (this._loop!.get_debug()) logger.debug(`${this}: ${message}`);
    } else {
      this._loop!.call_exception_handler({ message, exception: exc, transport: this, protocol: this._protocol });
    }
    this._force_close(exc);
  };

  _force_close(exc: unknown): void {
    if (this._conn_lost) return;
    this._stop_io();
    this._closing = true;
    this._conn_lost += 1;
    this._loop!._call_soon(this._call_connection_lost, [exc], null);
  }

  readonly _call_connection_lost = (exc: unknown): void => {
    try {
      if (this._protocol_connected) this._protocol.connection_lost(exc);
    } finally {
      this._release();
      this._protocol = null;
      this._loop = null;
    }
  };

  /** _force_close: stop reading (and drop what is buffered for writing). */
  protected abstract _stop_io(): void;

  /** After connection_lost(): close the Node socket and drop what refers to it. */
  protected abstract _release(): void;
}

/** A stream transport (TCP or unix) over a net.Socket (or a tls.TLSSocket). */
export class _SelectorSocketTransport extends _SelectorTransport {
  /** CPython's recv() size; Node reads up to 64 KiB per 'data' event. */
  max_size = 256 * 1024;
  _start_tls_compatible = true;
  _sock: net.Socket | null;
  readonly _nsock: _NodeSock;
  _sock_fd: number;
  _server: _ServerLike | null;
  _paused = false;
  _eof = false;
  _empty_waiter: Future<unknown> | null = null;
  /** Received chunks (and EOF) not yet handed to the protocol. */
  _inq: (Buffer | null)[] = [];
  private _buffered = false;
  private _readHandle: Handle | null = null;
  private _readQueued = false;
  private _writeHandle: Handle;
  private _writeQueued = false;
  private _readerAdded = false;

  constructor(loop: BaseEventLoop, nsock: _NodeSock, protocol: unknown, waiter: Future<unknown> | null = null,
    extra: Record<string, unknown> | null = null, server: _ServerLike | null = null, call_connection_made = true) {
    super(extra, loop);
    const sock = nsock.node as net.Socket;
    this._nsock = nsock;
    this._extra.socket = new TransportSocket(nsock);
    try {
      this._extra.sockname = nsock.getsockname();
    } catch {
      this._extra.sockname = null;
    }
    if (!("peername" in this._extra)) {
      try {
        this._extra.peername = nsock.getpeername();
      } catch {
        this._extra.peername = null;
      }
    }
    this._sock = sock;
    this._sock_fd = nsock.fileno();
    this.set_protocol(protocol);
    this._server = server;
    if (server !== null) server._attach();
    this._writeHandle = new Handle(this._write_ready, [], loop, null);
    sock.on("error", this._onError);
    sock.on("end", this._onEnd);
    // Disable the Nagle algorithm, as asyncio does for TCP.
    if (nsock.kind === "tcp") sock.setNoDelay(true);
    const p = this._protocol;
    // start_tls: the protocol already had its connection_made (as sslproto's call_connection_made=False).
    if (call_connection_made) loop._call_soon(p.connection_made.bind(p), [this], null);
    // only start reading when connection_made() has been called
    loop._call_soon(this._add_reader, [], null);
    if (waiter !== null) loop._call_soon(_set_result_unless_cancelled, [waiter, null], null);
    // Node closed it before we listened (a reset right after accept): the first read fails.
    if (sock.destroyed) {
      const early = (sock as unknown as Record<symbol, unknown>)[_kEarlyError];
      loop._call_soon(this._fatal_error, [early ? fromNodeError(early) : new ConnectionResetError(104, "Connection reset by peer"), "Fatal read error on socket transport"], null);
    }
  }

  override toString(): string {
    const info: string[] = [this.constructor.name];
    if (this._sock === null) info.push("closed");
    else if (this._closing) info.push("closing");
    info.push(`fd=${this._sock_fd}`);
    if (this._loop !== null && !this._loop.is_closed() && this._sock !== null) {
      info.push(this.is_reading() && this._readerAdded ? "read=polling" : "read=idle");
      const bufsize = this.get_write_buffer_size();
      info.push(`write=<${bufsize ? "polling" : "idle"}, bufsize=${bufsize}>`);
    }
    return `<${info.join(" ")}>`;
  }

  override set_protocol(protocol: unknown): void {
    this._buffered = protocol instanceof BufferedProtocol;
    super.set_protocol(protocol);
  }

  override is_reading(): boolean {
    return !this._closing && !this._paused;
  }

  override pause_reading(): void {
    if (!this.is_reading()) return;
    this._paused = true;
    this._sock?.pause();
    if (this._loop!.get_debug()) logger.debug(`${this} pauses reading`);
  }

  override resume_reading(): void {
    if (this._closing || !this._paused) return;
    this._paused = false;
    this._add_reader();
    if (this._loop!.get_debug()) logger.debug(`${this} resumes reading`);
  }

  /** Start (or resume) reading: Node's socket flows again; queued chunks get a read Handle. */
  readonly _add_reader = (): void => {
    if (!this.is_reading() || this._sock === null) return;
    if (!this._readerAdded) {
      this._readerAdded = true;
      this._readHandle = new Handle(this._read_ready, [], this._loop!, null);
      this._sock.on("data", this._onData);
    }
    // Also after on("data"): a socket paused before it flowed stays paused until resume().
    if (this._sock.isPaused()) this._sock.resume();
    if (this._inq.length > 0) this._queueRead();
  };

  private _queueRead(): void {
    if (this._readQueued || this._loop === null) return;
    this._readQueued = true;
    this._loop._add_callback(this._readHandle!);
  }

  // ---- Node's events: they only queue (DESIGN.md) ----

  private readonly _onData = (chunk: Buffer): void => {
    this._inq.push(chunk);
    if (!this._readQueued && !this._paused) this._queueRead();
  };

  private readonly _onEnd = (): void => {
    this._inq.push(EOF);
    if (!this._readQueued && !this._paused && this._readHandle !== null) this._queueRead();
  };

  private readonly _onError = (err: Error): void => {
    if (this._conn_lost || this._loop === null) return;
    const syscall = (err as { syscall?: string }).syscall;
    const msg = syscall === "write" || syscall === "shutdown" ? "Fatal write error on socket transport" : "Fatal read error on socket transport";
    this._loop._call_soon(this._fatal_error, [fromNodeError(err), msg], null);
  };

  /** A write finished in Node: re-check the low-water mark, or finish a close(), from the loop. */
  private readonly _onWriteDone = (): void => {
    if (this._writeQueued || this._conn_lost || this._loop === null) return;
    if ((this._protocol_paused || this._closing || this._empty_waiter !== null) &&
        this.get_write_buffer_size() <= this._low_water) {
      this._writeQueued = true;
      this._loop._add_callback(this._writeHandle);
    }
  };

  // ---- reading (run from the loop) ----

  readonly _read_ready = (): void => {
    this._readQueued = false;
    const q = this._inq;
    let delivered = false;
    while (q.length > 0) {
      if (this._conn_lost || !this.is_reading()) {
        if (this._closing) q.length = 0;
        return;
      }
      if (q[0] === EOF && delivered) {
        // CPython sees EOF on a later recv() than the data: a later iteration.
        this._queueRead();
        return;
      }
      const chunk = q.length === 1 ? q.pop()! : q.shift()!;
      delivered = true;
      if (chunk === EOF) {
        this._read_ready__on_eof();
        return;
      }
      if (this._buffered) {
        if (!this._read_ready__get_buffer(chunk)) return;
        continue;
      }
      try {
        this._protocol.data_received(chunk);
      } catch (exc) {
        _reraiseSystemExiting(exc);
        this._fatal_error(exc, "Fatal error: protocol.data_received() call failed.");
        return;
      }
    }
  };

  /** BufferedProtocol: copy the chunk into the buffers get_buffer(-1) gives. */
  private _read_ready__get_buffer(chunk: Buffer): boolean {
    let off = 0;
    while (off < chunk.length) {
      let buf: Uint8Array;
      try {
        buf = this._protocol.get_buffer(-1);
        if (!buf.length) throw new RuntimeError("get_buffer() returned an empty buffer");
      } catch (exc) {
        _reraiseSystemExiting(exc);
        this._fatal_error(exc, "Fatal error: protocol.get_buffer() call failed.");
        return false;
      }
      const n = Math.min(buf.length, chunk.length - off);
      buf.set(chunk.subarray(off, off + n), 0);
      off += n;
      try {
        this._protocol.buffer_updated(n);
      } catch (exc) {
        _reraiseSystemExiting(exc);
        this._fatal_error(exc, "Fatal error: protocol.buffer_updated() call failed.");
        return false;
      }
      if (this._conn_lost || !this.is_reading()) {
        if (off < chunk.length) this._inq.unshift(chunk.subarray(off));
        return false;
      }
    }
    return true;
  }

  _read_ready__on_eof(): void {
    if (this._loop!.get_debug()) logger.debug(`${this} received EOF`);
    let keep_open: unknown;
    try {
      keep_open = this._protocol.eof_received();
    } catch (exc) {
      _reraiseSystemExiting(exc);
      this._fatal_error(exc, "Fatal error: protocol.eof_received() call failed.");
      return;
    }
    // keep_open: the socket's readable side has ended; Node reads no more.
    if (keep_open && this._extra.sslcontext) {
      // sslproto: TLS cannot stay half-open.
      logger.warning("returning true from eof_received() has no effect when using ssl");
      keep_open = false;
    }
    if (!keep_open) this.close();
  }

  // ---- writing ----

  override write(data: Uint8Array): void {
    const bytes = _asBytes(data);
    if (bytes === null) throw new TypeError(`data argument must be a bytes-like object, not '${_typeName(data)}'`);
    if (this._eof) throw new RuntimeError("Cannot call write() after write_eof()");
    if (this._empty_waiter !== null) throw new RuntimeError("unable to write; sendfile is in progress");
    if (!bytes.length) return;
    if (this._conn_lost) {
      if (this._conn_lost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) logger.warning("socket.send() raised exception.");
      this._conn_lost += 1;
      return;
    }
    const sock = this._sock!;
    if (sock.destroyed) {
      // Node already closed it (a reset on its way to us): what CPython's send() error does.
      this._conn_lost += 1;
      return;
    }
    sock.write(bytes, this._onWriteDone);
    if (sock.writableLength > this._high_water) this._maybe_pause_protocol();
  }

  /** Runs from the loop after write completions: resume the protocol, finish close() or sendfile. */
  readonly _write_ready = (): void => {
    this._writeQueued = false;
    if (this._conn_lost) return;
    this._maybe_resume_protocol(); // May append to buffer.
    if (this.get_write_buffer_size() === 0) {
      if (this._empty_waiter !== null && !this._empty_waiter.done()) this._empty_waiter.set_result(null);
      if (this._closing) {
        this._conn_lost += 1;
        this._call_connection_lost(null);
      }
    }
  };

  override get_write_buffer_size(): number {
    return this._sock === null || this._sock.destroyed ? 0 : this._sock.writableLength;
  }

  override write_eof(): void {
    if (this._closing || this._eof) return;
    this._eof = true;
    // Node flushes what is buffered, then shuts the write side down (SHUT_WR).
    this._sock!.end();
  }

  override can_write_eof(): boolean {
    return true;
  }

  // ---- closing ----

  override close(): void {
    if (this._closing) return;
    this._closing = true;
    this._sock?.pause();
    if (this.get_write_buffer_size() === 0) {
      this._conn_lost += 1;
      this._loop!._call_soon(this._call_connection_lost, [null], null);
    }
    // Otherwise _write_ready calls connection_lost once the buffer is flushed.
  }

  protected _stop_io(): void {
    // Buffered data is dropped: Node discards it when the socket is destroyed.
    if (this.get_write_buffer_size() > 0) this._sock!.destroy();
    if (!this._closing) this._sock?.pause();
  }

  protected _release(): void {
    this._sock!.destroy();
    this._sock = null;
    this._inq.length = 0;
    const server = this._server;
    if (server !== null) {
      server._detach();
      this._server = null;
    }
    if (this._empty_waiter !== null && !this._empty_waiter.done()) {
      this._empty_waiter.set_exception(new ConnectionError("Connection is closed by peer"));
    }
  }

  /**
   * start_tls: hand the socket (and the server's count) over to a TLS transport. Received
   * bytes not yet delivered go back into the socket for the TLS layer; this transport is
   * left closed without a connection_lost() (its protocol moves to the new transport).
   */
  _detach_for_tls(): [_NodeSock, _ServerLike | null] {
    const sock = this._sock!;
    sock.off("data", this._onData);
    sock.off("end", this._onEnd);
    sock.off("error", this._onError);
    for (let i = this._inq.length - 1; i >= 0; i--) if (this._inq[i] !== EOF) sock.unshift(this._inq[i]!);
    this._inq.length = 0;
    sock.pause();
    this._closing = true;
    this._conn_lost += 1;
    this._protocol_connected = false;
    const server = this._server;
    this._server = null;
    this._sock = null;
    return [this._nsock, server];
  }

  _make_empty_waiter(): Future<unknown> {
    if (this._empty_waiter !== null) throw new RuntimeError("Empty waiter is already set");
    this._empty_waiter = this._loop!.create_future();
    if (this.get_write_buffer_size() === 0) this._empty_waiter.set_result(null);
    return this._empty_waiter;
  }

  _reset_empty_waiter(): void {
    this._empty_waiter = null;
  }
}


function _set_result_unless_cancelled(fut: Future<unknown>, result: unknown): void {
  if (fut.cancelled()) return;
  fut.set_result(result);
}
