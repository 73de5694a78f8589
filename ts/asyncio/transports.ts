/** Abstract Transport class (transports.py), and the write flow control shared by transports. */
import { NotImplementedError, ValueError, _isSystemExiting } from "./exceptions.js";
import type { BaseEventLoop } from "./base_events.js";

export const __all__ = [
  "BaseTransport", "ReadTransport", "WriteTransport", "Transport", "DatagramTransport", "SubprocessTransport",
] as const;

/** Base class for transports. */
export class BaseTransport {
  _extra: Record<string, unknown>;

  constructor(extra: Record<string, unknown> | null = null) {
    this._extra = extra ?? {};
  }

  /**
   * Optional transport information: `peername`, `sockname`, `socket`, `sslcontext`,
   * `peercert`, `cipher`, `ssl_object`, `compression`… `default` when absent.
   */
  get_extra_info(name: string, defaultValue: unknown = null): any {
    return name in this._extra ? this._extra[name] : defaultValue;
  }

  /** True if the transport is closing or closed. */
  is_closing(): boolean {
    throw new NotImplementedError();
  }

  /**
   * Close the transport: buffered data is flushed asynchronously, no more data is
   * received, and the protocol's connection_lost() is called with null.
   */
  close(): void {
    throw new NotImplementedError();
  }

  set_protocol(_protocol: unknown): void {
    throw new NotImplementedError();
  }

  get_protocol(): any {
    throw new NotImplementedError();
  }
}

/** Interface for read-only transports. */
export class ReadTransport extends BaseTransport {
  /** True if the transport is receiving. */
  is_reading(): boolean {
    throw new NotImplementedError();
  }
  /** Pause the receiving end: no data_received() until resume_reading(). */
  pause_reading(): void {
    throw new NotImplementedError();
  }
  /** Resume the receiving end. */
  resume_reading(): void {
    throw new NotImplementedError();
  }
}

/** Interface for write-only transports. */
export class WriteTransport extends BaseTransport {
  /**
   * Set the high- and low-water limits for write flow control: pause_writing() is called
   * when the buffer goes over `high`, resume_writing() when it drains to `low` or below.
   * Defaults: high 64 KiB, low high/4.
   */
  set_write_buffer_limits(_high: number | null = null, _low: number | null = null): void {
    throw new NotImplementedError();
  }
  /** Return the current size of the write buffer. */
  get_write_buffer_size(): number {
    throw new NotImplementedError();
  }
  /** Get the `[low, high]` limits for write flow control. */
  get_write_buffer_limits(): [number, number] {
    throw new NotImplementedError();
  }
  /** Write some data bytes to the transport; never blocks, buffers what cannot be sent. */
  write(_data: Uint8Array): void {
    throw new NotImplementedError();
  }
  /** Write a list (or any iterable) of data bytes to the transport. */
  writelines(list_of_data: Iterable<Uint8Array>): void {
    const parts = [...list_of_data];
    this.write(Buffer.concat(parts));
  }
  /** Close the write end after flushing buffered data; data may still be received. */
  write_eof(): void {
    throw new NotImplementedError();
  }
  /** Return true if this transport supports write_eof(). */
  can_write_eof(): boolean {
    throw new NotImplementedError();
  }
  /** Close the transport immediately: buffered data is lost, connection_lost(null) is called. */
  abort(): void {
    throw new NotImplementedError();
  }
}

/**
 * Interface representing a bidirectional transport. (Python's multiple inheritance of
 * ReadTransport and WriteTransport: here Transport extends WriteTransport and carries
 * ReadTransport's methods.)
 */
export class Transport extends WriteTransport {
  is_reading(): boolean {
    throw new NotImplementedError();
  }
  pause_reading(): void {
    throw new NotImplementedError();
  }
  resume_reading(): void {
    throw new NotImplementedError();
  }
}
// `t instanceof ReadTransport` holds for every Transport, as in Python.
Object.defineProperty(ReadTransport, Symbol.hasInstance, {
  value(this: Function, x: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, x) || (this === ReadTransport && x instanceof Transport);
  },
});

/** Interface for datagram (UDP) transports. */
export class DatagramTransport extends BaseTransport {
  /** Send `data` to `addr` (`[host, port]`, or null for the remote_addr given at creation). */
  sendto(_data: Uint8Array, _addr: unknown = null): void {
    throw new NotImplementedError();
  }
  /** Close the transport immediately. */
  abort(): void {
    throw new NotImplementedError();
  }
}

/** Interface for a subprocess's transport. */
export class SubprocessTransport extends BaseTransport {
  get_pid(): number {
    throw new NotImplementedError();
  }
  get_returncode(): number | null {
    throw new NotImplementedError();
  }
  get_pipe_transport(_fd: number): unknown {
    throw new NotImplementedError();
  }
  send_signal(_signal: unknown): void {
    throw new NotImplementedError();
  }
  terminate(): void {
    throw new NotImplementedError();
  }
  kill(): void {
    throw new NotImplementedError();
  }
}

interface FlowProtocol {
  pause_writing(): void;
  resume_writing(): void;
}

/**
 * All the logic for (write) flow control (transports._FlowControlMixin). The subclass
 * implements get_write_buffer_size() and calls _maybe_pause_protocol() when the buffer
 * grows and _maybe_resume_protocol() when it shrinks.
 */
export class _FlowControlMixin extends Transport {
  _loop: BaseEventLoop | null;
  _protocol: any = null;
  _protocol_paused = false;
  _high_water = 0;
  _low_water = 0;

  constructor(extra: Record<string, unknown> | null, loop: BaseEventLoop) {
    super(extra);
    this._loop = loop;
    this._set_write_buffer_limits();
  }

  _maybe_pause_protocol(): void {
    const size = this.get_write_buffer_size();
    if (size <= this._high_water) return;
    if (!this._protocol_paused) {
      this._protocol_paused = true;
      try {
        (this._protocol as FlowProtocol).pause_writing();
      } catch (exc) {
        _reraiseSystemExiting(exc);
        this._loop!.call_exception_handler({ message: "protocol.pause_writing() failed", exception: exc, transport: this, protocol: this._protocol });
      }
    }
  }

  _maybe_resume_protocol(): void {
    if (this._protocol_paused && this.get_write_buffer_size() <= this._low_water) {
      this._protocol_paused = false;
      try {
        (this._protocol as FlowProtocol).resume_writing();
      } catch (exc) {
        _reraiseSystemExiting(exc);
        this._loop!.call_exception_handler({ message: "protocol.resume_writing() failed", exception: exc, transport: this, protocol: this._protocol });
      }
    }
  }

  override get_write_buffer_limits(): [number, number] {
    return [this._low_water, this._high_water];
  }

  _set_write_buffer_limits(high: number | null = null, low: number | null = null): void {
    if (high === null || high === undefined) high = low === null || low === undefined ? 64 * 1024 : 4 * low;
    if (low === null || low === undefined) low = Math.floor(high / 4);
    if (!(high >= low && low >= 0)) throw new ValueError(`high (${high}) must be >= low (${low}) must be >= 0`);
    this._high_water = high;
    this._low_water = low;
  }

  override set_write_buffer_limits(high: number | null = null, low: number | null = null): void {
    this._set_write_buffer_limits(high, low);
    this._maybe_pause_protocol();
  }
}

/** Python's `except (SystemExit, KeyboardInterrupt): raise`. */
export function _reraiseSystemExiting(exc: unknown): void {
  if (_isSystemExiting(exc)) throw exc;
}
