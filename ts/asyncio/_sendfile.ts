/**
 * loop.sendfile (base_events.py). Node has no sendfile() for sockets, so the "native" mode
 * is never available: with `fallback` (the default) the file is read in 16 KiB blocks and
 * written to the transport with flow control, as CPython's _sendfile_fallback does (its
 * _SendfileFallbackProtocol stands in for the protocol meanwhile); without, it raises
 * SendfileNotAvailableError. `file` is a path, a numeric fd or an fs.promises FileHandle.
 */
import * as fsp from "node:fs/promises";
import { ConnectionError, RuntimeError, SendfileNotAvailableError, ValueError } from "./exceptions.js";
import { Protocol } from "./protocols.js";
import type { BaseEventLoop } from "./base_events.js";
import type { Future } from "./futures.js";
import type { _SelectorSocketTransport } from "./selector_events.js";

class _SendfileFallbackProtocol extends Protocol {
  _transport: _SelectorSocketTransport;
  _proto: any;
  _should_resume_reading: boolean;
  _should_resume_writing: boolean;
  _write_ready_fut: Future<unknown> | null = null;

  constructor(transp: _SelectorSocketTransport) {
    super();
    this._transport = transp;
    this._proto = transp.get_protocol();
    this._should_resume_reading = transp.is_reading();
    this._should_resume_writing = transp._protocol_paused;
    transp.pause_reading();
    transp.set_protocol(this);
    if (this._should_resume_writing) this._write_ready_fut = transp._loop!.create_future();
  }

  async drain(): Promise<void> {
    if (this._transport.is_closing()) throw new ConnectionError("Connection closed by peer");
    const fut = this._write_ready_fut;
    if (fut === null) return;
    await fut;
  }

  override connection_made(): void {
    throw new RuntimeError("Invalid state: connection should have been established already.");
  }

  override connection_lost(exc: unknown): void {
    if (this._write_ready_fut !== null) {
      // Never happens if peer disconnects after sending the whole content; thus disconnection is always an exception from user perspective.
      if (exc === null || exc === undefined) this._write_ready_fut.set_exception(new ConnectionError("Connection is closed by peer"));
      else this._write_ready_fut.set_exception(exc);
    }
    this._proto.connection_lost(exc);
  }

  override pause_writing(): void {
    if (this._write_ready_fut !== null) return;
    this._write_ready_fut = this._transport._loop!.create_future();
  }

  override resume_writing(): void {
    if (this._write_ready_fut === null) return;
    this._write_ready_fut.set_result(false);
    this._write_ready_fut = null;
  }

  override data_received(): void {
    throw new RuntimeError("Invalid state: reading should be paused");
  }

  override eof_received(): void {
    throw new RuntimeError("Invalid state: reading should be paused");
  }

  async restore(): Promise<void> {
    this._transport.set_protocol(this._proto);
    if (this._should_resume_reading) this._transport.resume_reading();
    if (this._write_ready_fut !== null) {
      // Cancel the future. Basically it has no effect because protocol is switched back, no code should wait for it anymore.
      this._write_ready_fut.cancel();
    }
    if (this._should_resume_writing) this._proto.resume_writing();
  }
}

export async function _sendfile(loop: BaseEventLoop, transport: _SelectorSocketTransport, file: unknown, offset: number,
  count: number | null, fallback = true): Promise<number> {
  if (transport.is_closing()) throw new RuntimeError("Transport is closing");
  if (!(typeof (transport as { _start_tls_compatible?: unknown })._start_tls_compatible === "boolean")) {
    throw new RuntimeError(`sendfile is not supported for transport ${transport}`);
  }
  if (!Number.isInteger(offset)) throw new TypeError(`offset must be a non-negative integer (got ${offset})`);
  if (offset < 0) throw new ValueError(`offset must be a non-negative integer (got ${offset})`);
  if (count !== null && (!Number.isInteger(count) || count <= 0)) throw new ValueError(`count must be a positive integer (got ${count})`);
  if (!fallback) throw new SendfileNotAvailableError("Node.js has no sendfile() for sockets; pass fallback=True");
  void loop;
  let handle: fsp.FileHandle;
  let owned = false;
  if (typeof file === "string") {
    handle = await fsp.open(file, "r");
    owned = true;
  } else if (typeof file === "number") {
    handle = await fsp.open(`/proc/self/fd/${file}`, "r");
    owned = true;
  } else handle = file as fsp.FileHandle;
  let blocksize = count ? Math.min(count, 16384) : 16384;
  let total_sent = 0;
  const proto = new _SendfileFallbackProtocol(transport);
  try {
    for (;;) {
      if (count) {
        blocksize = Math.min(count - total_sent, blocksize);
        if (blocksize <= 0) return total_sent;
      }
      // A fresh buffer per block: the transport keeps a reference to what it writes.
      const buf = Buffer.allocUnsafe(blocksize);
      const { bytesRead } = await handle.read(buf, 0, blocksize, offset + total_sent);
      if (!bytesRead) return total_sent; // EOF
      await proto.drain();
      transport.write(buf.subarray(0, bytesRead));
      total_sent += bytesRead;
    }
  } finally {
    await proto.restore();
    if (owned) await handle.close();
  }
}
