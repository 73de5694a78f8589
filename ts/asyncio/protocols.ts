/**
 * Abstract Protocol base classes (protocols.py). A protocol's methods are called by its
 * transport, always from the event loop (never straight from a Node.js socket callback):
 * `connection_made` first, then `data_received`* (or `get_buffer`/`buffer_updated`),
 * maybe `eof_received`, then `connection_lost` once.
 */
import type { BaseTransport, DatagramTransport, Transport, SubprocessTransport } from "./transports.js";
import { RuntimeError } from "./exceptions.js";

export const __all__ = ["BaseProtocol", "Protocol", "DatagramProtocol", "SubprocessProtocol", "BufferedProtocol"] as const;

/** Common base class for protocol interfaces. */
export class BaseProtocol {
  /** Called when a connection is made; `transport` represents the pipe connection. */
  connection_made(_transport: BaseTransport | any): void {}
  /** Called when the connection is lost or closed; `exc` is null on a regular EOF or close. */
  connection_lost(_exc: unknown): void {}
  /** Called when the transport's buffer goes over the high-water mark. */
  pause_writing(): void {}
  /** Called when the transport's buffer drains below the low-water mark. */
  resume_writing(): void {}
}

/** Interface for a stream protocol. */
export class Protocol extends BaseProtocol {
  /** Called with each chunk received (a Buffer, which is a Uint8Array). */
  data_received(_data: Uint8Array): void {}
  /**
   * Called when the other end called write_eof() or equivalent. A truthy return keeps the
   * transport open (half-closed); otherwise the transport closes itself.
   */
  eof_received(): boolean | void | null {}
}

/**
 * Interface for a stream protocol with manual control of the receive buffer: the
 * transport copies received bytes into the buffer `get_buffer` gives, then calls
 * `buffer_updated(nbytes)`.
 */
export class BufferedProtocol extends BaseProtocol {
  /** Called to allocate a new receive buffer; `sizehint` is -1 or a recommended minimum size. */
  get_buffer(_sizehint: number): Uint8Array {
    throw new RuntimeError("get_buffer() not implemented");
  }
  /** Called when the buffer was updated with `nbytes` received bytes. */
  buffer_updated(_nbytes: number): void {}
  eof_received(): boolean | void | null {}
}

/** Interface for a datagram protocol. */
export class DatagramProtocol extends BaseProtocol {
  /** Called when some datagram is received; `addr` is `[host, port]`. */
  datagram_received(_data: Uint8Array, _addr: unknown): void {}
  /** Called when a send or receive operation raises an OSError. */
  error_received(_exc: unknown): void {}
}

/** Interface for a protocol of a subprocess's pipes. */
export class SubprocessProtocol extends BaseProtocol {
  pipe_data_received(_fd: number, _data: Uint8Array): void {}
  pipe_connection_lost(_fd: number, _exc: unknown): void {}
  process_exited(): void {}
}

/** protocols._feed_data_to_buffered_proto: copies `data` into the protocol's buffers. */
export function _feed_data_to_buffered_proto(proto: BufferedProtocol, data: Uint8Array): void {
  let data_len = data.length;
  let off = 0;
  while (data_len) {
    const buf = proto.get_buffer(data_len);
    const buf_len = buf.length;
    if (!buf_len) throw new RuntimeError("get_buffer() returned an empty buffer");
    if (buf_len >= data_len) {
      buf.set(off === 0 ? data : data.subarray(off), 0);
      proto.buffer_updated(data_len);
      return;
    }
    buf.set(data.subarray(off, off + buf_len), 0);
    proto.buffer_updated(buf_len);
    off += buf_len;
    data_len -= buf_len;
  }
}

export type _Transports = Transport | DatagramTransport | SubprocessTransport;
