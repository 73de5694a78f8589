/**
 * UDP transports on Node's dgram sockets (selector_events._SelectorDatagramTransport) and
 * loop.create_datagram_endpoint (base_events.py). 'message' events queue the datagram and
 * add the transport's read Handle to the ready queue; datagram_received runs from the loop.
 * Node sends asynchronously: bytes handed to dgram and not yet sent are the write buffer.
 */
import * as dgram from "node:dgram";
import { Handle } from "./events.js";
import { NotImplementedError, OSError, ValueError } from "./exceptions.js";
import { logger } from "./log.js";
import { AF_INET, AF_INET6, AF_UNIX, SOCK_DGRAM, SockAddr, TransportSocket, _NodeSock, _checkPort } from "./trsock.js";
import { addrRepr, fromNodeError } from "./_oserror.js";
import { _SelectorTransport, _asBytes, _typeName } from "./selector_events.js";
import { checkOptions } from "./_options.js";
import type { BaseEventLoop } from "./base_events.js";
import type { Future } from "./futures.js";

const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

/** A UDP transport (DatagramTransport's methods, plus the write flow control of _FlowControlMixin). */
export class _SelectorDatagramTransport extends _SelectorTransport {
  max_size = 256 * 1024;
  _sock: dgram.Socket | null;
  readonly _nsock: _NodeSock;
  _address: SockAddr | null;
  _buffer_size = 0;
  private _inq: [Buffer, SockAddr][] = [];
  private _readHandle: Handle;
  private _readQueued = false;
  private _reading = false;

  constructor(loop: BaseEventLoop, nsock: _NodeSock, protocol: any, address: SockAddr | null = null,
    waiter: Future<unknown> | null = null, extra: Record<string, unknown> | null = null) {
    super(extra, loop);
    this._nsock = nsock;
    const sock = nsock.node as dgram.Socket;
    this._sock = sock;
    this._extra.socket = new TransportSocket(nsock);
    try { this._extra.sockname = nsock.getsockname(); } catch { this._extra.sockname = null; }
    if (!("peername" in this._extra)) {
      try { this._extra.peername = nsock.getpeername(); } catch { this._extra.peername = null; }
    }
    this.set_protocol(protocol);
    this._address = address;
    this._readHandle = new Handle(this._read_ready, [], loop, null);
    sock.on("message", this._onMessage);
    sock.on("error", this._onError);
    loop._call_soon(protocol.connection_made.bind(protocol), [this], null);
    // only start reading when connection_made() has been called
    loop._call_soon(this._add_reader, [], null);
    if (waiter !== null) loop._call_soon((w: Future<unknown>) => { if (!w.cancelled()) w.set_result(null); }, [waiter], null);
  }

  override toString(): string {
    const info = [this.constructor.name];
    if (this._sock === null) info.push("closed");
    else if (this._closing) info.push("closing");
    info.push(`fd=${this._nsock.fileno()}`);
    return `<${info.join(" ")}>`;
  }

  override get_write_buffer_size(): number {
    return this._buffer_size;
  }

  private readonly _add_reader = (): void => {
    if (this._closing) return;
    this._reading = true;
    if (this._inq.length > 0) this._queueRead();
  };

  private _queueRead(): void {
    if (this._readQueued || this._loop === null) return;
    this._readQueued = true;
    this._loop._add_callback(this._readHandle);
  }

  private readonly _onMessage = (msg: Buffer, rinfo: dgram.RemoteInfo): void => {
    this._inq.push([msg, rinfo.family === "IPv6" ? [rinfo.address, rinfo.port, 0, 0] : [rinfo.address, rinfo.port]]);
    if (this._reading) this._queueRead();
  };

  private readonly _onError = (err: Error): void => {
    if (this._conn_lost || this._loop === null) return;
    this._loop._call_soon(this._error_received, [fromNodeError(err)], null);
  };

  private readonly _error_received = (exc: unknown): void => {
    if (this._conn_lost) return;
    if (exc instanceof OSError) this._protocol.error_received(exc);
    else this._fatal_error(exc, "Fatal read error on datagram transport");
  };

  private readonly _read_ready = (): void => {
    this._readQueued = false;
    while (this._inq.length > 0) {
      if (this._conn_lost || this._closing) return;
      const [data, addr] = this._inq.shift()!;
      this._protocol.datagram_received(data, addr);
    }
  };

  /** Send `data` to `addr` (or to remote_addr); errors go to the protocol's error_received(). */
  sendto(data: Uint8Array, addr: SockAddr | null = null): void {
    const bytes = _asBytes(data);
    if (bytes === null) throw new TypeError(`data argument must be a bytes-like object, not '${_typeName(data)}'`);
    if (!bytes.length) return;
    if (this._address) {
      if (addr !== null && addrRepr(addr) !== addrRepr(this._address)) {
        throw new ValueError(`Invalid address: must be None or ${addrRepr(this._address)}`);
      }
      addr = this._address;
    }
    if (this._conn_lost && this._address) {
      if (this._conn_lost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) logger.warning("socket.send() raised exception.");
      this._conn_lost += 1;
      return;
    }
    if (this._sock === null) return;
    // Node sends asynchronously and keeps a reference: copy, as asyncio does before buffering.
    const copy = Buffer.from(bytes);
    this._buffer_size += copy.length;
    const done = (err: Error | null) => this._onSent(copy.length, err);
    if (this._extra.peername) this._sock.send(copy, done);
    else if (addr === null) throw new OSError(89, "Destination address required");
    else this._sock.send(copy, (addr as [string, number])[1], (addr as [string, number])[0], done);
    this._maybe_pause_protocol();
  }

  private _onSent(n: number, err: Error | null): void {
    if (this._loop === null) return;
    this._loop._call_soon(this._sendto_done, [n, err === null ? null : fromNodeError(err)], null);
  }

  private readonly _sendto_done = (n: number, exc: unknown): void => {
    this._buffer_size -= n;
    if (this._conn_lost) return;
    if (exc !== null) {
      if (exc instanceof OSError) this._protocol.error_received(exc);
      else this._fatal_error(exc, "Fatal write error on datagram transport");
      return;
    }
    this._maybe_resume_protocol();
    if (this._buffer_size === 0 && this._closing) {
      this._conn_lost += 1;
      this._call_connection_lost(null);
    }
  };

  override close(): void {
    if (this._closing) return;
    this._closing = true;
    this._reading = false;
    if (this._buffer_size === 0) {
      this._conn_lost += 1;
      this._loop!._call_soon(this._call_connection_lost, [null], null);
    }
  }

  protected _stop_io(): void {
    this._reading = false;
  }

  protected _release(): void {
    try { this._sock!.close(); } catch { /* already closed */ }
    this._sock = null;
  }
}
export interface DatagramOptions {
  local_addr?: [string, number] | string | null; remote_addr?: [string, number] | string | null; family?: number; proto?: number;
  flags?: number; reuse_port?: boolean | null; allow_broadcast?: boolean | null; sock?: dgram.Socket | null;
}
const DATAGRAM_KW = ["local_addr", "remote_addr", "family", "proto", "flags", "reuse_port", "allow_broadcast", "sock"] as const;

interface ResolvingLoop extends BaseEventLoop {
  _ensure_resolved(address: [string | null, unknown], o: { family?: number; type?: number; proto?: number; flags?: number }): Promise<[number, number, number, string, SockAddr][]>;
}

function _await<T>(loop: BaseEventLoop, start: (cb: (err: Error | null, v?: T) => void) => void, wrap: (e: Error) => unknown): Future<T> {
  const fut = loop.create_future<T>();
  start((err, v) => {
    loop._call_soon(() => {
      if (fut.done()) return;
      if (err) fut.set_exception(wrap(err));
      else fut.set_result(v as T);
    }, [], null);
  });
  return fut;
}

/** loop.create_datagram_endpoint (base_events.py) on Node's dgram. */
export async function create_datagram_endpoint<P>(loop: BaseEventLoop, protocol_factory: any, options: DatagramOptions = {}): Promise<[_SelectorDatagramTransport, P]> {
  checkOptions("create_datagram_endpoint", options, DATAGRAM_KW);
  const { local_addr = null, remote_addr = null, proto = 0, flags = 0, reuse_port = null, allow_broadcast = null, sock = null } = options;
  let family = options.family ?? 0;
  let nsock: _NodeSock;
  let r_addr: SockAddr | null = null;
  if (sock !== null) {
    if (local_addr || remote_addr || family || proto || flags || reuse_port || allow_broadcast) {
      const opts: Record<string, unknown> = { local_addr, remote_addr, family, proto, flags, reuse_port, allow_broadcast };
      const problems = Object.entries(opts).filter(([, v]) => v).map(([k, v]) => `${k}=${Array.isArray(v) ? addrRepr(v) : v}`).join(", ");
      throw new ValueError(`socket modifier keyword arguments can not be used when sock is specified. (${problems})`);
    }
    let fam = AF_INET;
    try { fam = sock.address().family === "IPv6" ? AF_INET6 : AF_INET; } catch { /* unbound */ }
    nsock = new _NodeSock(sock, "udp", fam);
  } else {
    if (family === AF_UNIX) throw new NotImplementedError("unix datagram sockets: Node.js's dgram module has no AF_UNIX support");
    if (!(local_addr || remote_addr)) {
      if (family === 0) throw new ValueError("unexpected address family");
    }
    const pairs = new Map<number, [SockAddr | null, SockAddr | null]>();
    const addrs: [number, [string, number] | string | null][] = [[0, local_addr], [1, remote_addr]];
    for (const [idx, addr] of addrs) {
      if (addr === null) continue;
      if (!(Array.isArray(addr) && addr.length === 2)) throw new TypeError("2-tuple is expected");
      _checkPort(addr[1], idx === 0 ? "bind" : "connect");
      const infos = await (loop as ResolvingLoop)._ensure_resolved(addr, { family, type: SOCK_DGRAM, proto, flags });
      if (infos.length === 0) throw new OSError("getaddrinfo() returned empty list");
      for (const [fam, , , , address] of infos) {
        if (!pairs.has(fam)) pairs.set(fam, [null, null]);
        pairs.get(fam)![idx] = address;
      }
    }
    let addr_pairs = [...pairs.entries()].filter(([, p]) => !((local_addr && p[0] === null) || (remote_addr && p[1] === null)));
    if (local_addr === null && remote_addr === null) addr_pairs = [[family, [null, null]]];
    if (addr_pairs.length === 0) throw new ValueError("can not get address information");
    const exceptions: unknown[] = [];
    let found: _NodeSock | null = null;
    for (const [fam, [local_address, remote_address]] of addr_pairs) {
      const s = dgram.createSocket({ type: fam === AF_INET6 ? "udp6" : "udp4", reuseAddr: false, ipv6Only: fam === AF_INET6, ...(reuse_port ? { reusePort: true } : {}) } as dgram.SocketOptions);
      try {
        const [lh, lp] = (local_address ?? [fam === AF_INET6 ? "::" : "0.0.0.0", 0]) as [string, number];
        await _await<void>(loop, (cb) => {
          const onErr = (e: Error) => cb(e);
          s.once("error", onErr);
          s.bind(lp, lh, () => { s.off("error", onErr); cb(null); });
        }, (e) => fromNodeError(e));
        if (allow_broadcast) s.setBroadcast(true);
        if (remote_address !== null) {
          const [rh, rp] = remote_address as [string, number];
          if (!allow_broadcast) await _await<void>(loop, (cb) => s.connect(rp, rh, (e?: Error) => cb(e ?? null)), (e) => fromNodeError(e));
          r_addr = remote_address;
        }
        found = new _NodeSock(s, "udp", fam);
        family = fam;
        break;
      } catch (exc) {
        try { s.close(); } catch { /* not open */ }
        if (exc instanceof OSError) exceptions.push(exc);
        else throw exc;
      }
    }
    if (found === null) throw exceptions[0];
    nsock = found;
  }
  const protocol = typeof protocol_factory === "function" && /^class[\s{]/.test(Function.prototype.toString.call(protocol_factory))
    ? new protocol_factory() : protocol_factory();
  const waiter = loop.create_future();
  const transport = new _SelectorDatagramTransport(loop, nsock, protocol, r_addr, waiter);
  if (loop.get_debug()) logger.debug(`Datagram endpoint local_addr=${addrRepr(local_addr)} remote_addr=${addrRepr(remote_addr)} created: (${transport}, ${protocol})`);
  try {
    await waiter;
  } catch (exc) {
    transport.close();
    throw exc;
  }
  return [transport, protocol as P];
}
