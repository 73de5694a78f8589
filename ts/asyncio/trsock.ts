/**
 * TransportSocket (trsock.py): the socket-like object `get_extra_info("socket")` and
 * `Server.sockets` give — family, type, proto, fileno(), getsockname(), getpeername() — over
 * a Node.js socket (net.Socket, net.Server, dgram.Socket). Disruptive operations (close,
 * send, recv…) are not offered, as in asyncio.
 */
import type * as net from "node:net";
import type * as dgram from "node:dgram";
import { NotImplementedError, OSError, OverflowError, ValueError } from "./exceptions.js";
import { addrRepr } from "./_oserror.js";

export const __all__ = [] as const;

/** Python's socket constants (Linux values), for `family=` and `TransportSocket.family`. */
export const AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
export const SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3;
export const IPPROTO_TCP = 6, IPPROTO_UDP = 17;
export const AI_PASSIVE = 1;

/** An internet socket address: `[host, port]` (IPv4), `[host, port, flowinfo, scope_id]` (IPv6). */
export type InetAddr = [host: string, port: number] | [host: string, port: number, flowinfo: number, scope_id: number];
/** A socket address: an internet one, or a unix socket's path. */
export type SockAddr = InetAddr | string;

type Kind = "tcp" | "unix" | "udp";
/** Which end of a unix socket: its path is the peer's name (client) or its own (server side). */
type UnixSide = "client" | "server";

/** Python's sockaddr from a Node address: `[host, port]`, or `[host, port, flowinfo, scope_id]` for IPv6. */
export function toSockAddr(address: string | undefined, port: number | undefined, family: string | number | undefined): SockAddr | null {
  if (address === undefined || port === undefined) return null;
  if (family === "IPv6" || family === 6 || address.includes(":")) return [address, port, 0, 0];
  return [address, port];
}

/**
 * The socket object behind a transport or a server: the Node handle plus what Python's
 * socket.socket would answer. Internal; users see it through TransportSocket.
 */
export class _NodeSock {
  constructor(
    readonly node: net.Socket | net.Server | dgram.Socket,
    readonly kind: Kind,
    readonly _family: number,
    readonly path: string | null = null,
    readonly side: UnixSide = "client",
  ) {}

  get family(): number {
    return this._family;
  }
  get type(): number {
    return this.kind === "udp" ? SOCK_DGRAM : SOCK_STREAM;
  }
  get proto(): number {
    return this.kind === "tcp" ? IPPROTO_TCP : this.kind === "udp" ? IPPROTO_UDP : 0;
  }

  fileno(): number {
    const h = (this.node as unknown as { _handle?: { fd?: number } | null })._handle;
    const fd = h?.fd;
    return typeof fd === "number" && fd >= 0 ? fd : -1;
  }

  _closedCheck(): void {
    if (this.fileno() === -1 && !(this.node as { listening?: boolean }).listening && !this._udpBound()) {
      throw new OSError(9, "Bad file descriptor");
    }
  }

  private _udpBound(): boolean {
    if (this.kind !== "udp") return false;
    try {
      (this.node as dgram.Socket).address();
      return true;
    } catch {
      return false;
    }
  }

  getsockname(): SockAddr {
    if (this.kind === "unix") {
      this._closedCheck();
      return this.side === "server" ? this.path ?? "" : "";
    }
    const n = this.node as net.Socket & net.Server & dgram.Socket;
    if ("localAddress" in n && typeof (n as net.Socket).localPort === "number") {
      const s = n as net.Socket;
      const a = toSockAddr(s.localAddress, s.localPort, s.localFamily);
      if (a !== null) return a;
    }
    try {
      const a = (n as net.Server).address();
      if (a !== null && typeof a === "object") return toSockAddr(a.address, a.port, a.family)!;
    } catch {
      /* not bound */
    }
    throw new OSError(9, "Bad file descriptor");
  }

  getpeername(): SockAddr {
    if (this.kind === "unix") {
      this._closedCheck();
      if (this.side === "client" && this.path !== null) return this.path;
      if (this.side === "server" && (this.node as net.Server).listen !== undefined && !("remoteAddress" in this.node)) {
        throw new OSError(107, "Transport endpoint is not connected");
      }
      return "";
    }
    if (this.kind === "udp") {
      try {
        const a = (this.node as dgram.Socket).remoteAddress();
        return toSockAddr(a.address, a.port, a.family)!;
      } catch {
        throw new OSError(107, "Transport endpoint is not connected");
      }
    }
    const s = this.node as net.Socket;
    const a = "remoteAddress" in s ? toSockAddr(s.remoteAddress, s.remotePort, s.remoteFamily) : null;
    if (a === null) throw new OSError(107, "Transport endpoint is not connected");
    return a;
  }
}

/**
 * A socket-like wrapper exposing a transport's or server's socket (asyncio.trsock.TransportSocket).
 * `A` is the type of its addresses: an internet address (`getsockname()[1]` is the port), or a
 * path for a unix server's sockets (`TransportSocket<string>`).
 */
export class TransportSocket<A extends SockAddr = InetAddr> {
  constructor(readonly _sock: _NodeSock) {}

  get family(): number {
    return this._sock.family;
  }
  get type(): number {
    return this._sock.type;
  }
  get proto(): number {
    return this._sock.proto;
  }
  fileno(): number {
    return this._sock.fileno();
  }
  getsockname(): A {
    return this._sock.getsockname() as A;
  }
  getpeername(): A {
    return this._sock.getpeername() as A;
  }
  /** The Node.js object behind this socket (net.Socket, net.Server or dgram.Socket); tulip only. */
  get nodeSocket(): net.Socket | net.Server | dgram.Socket {
    return this._sock.node;
  }

  /** Supports what Node can set: TCP_NODELAY (level 6, opt 1) and SO_KEEPALIVE (level 1, opt 9). */
  setsockopt(level: number, optname: number, value: number | boolean): void {
    const s = this._sock.node as net.Socket;
    if (level === IPPROTO_TCP && optname === 1 && typeof s.setNoDelay === "function") s.setNoDelay(Boolean(value));
    else if (level === 1 && optname === 9 && typeof s.setKeepAlive === "function") s.setKeepAlive(Boolean(value));
    else throw new NotImplementedError(`setsockopt(${level}, ${optname}): Node.js does not expose this socket option`);
  }

  getsockopt(level: number, optname: number): never {
    throw new NotImplementedError(`getsockopt(${level}, ${optname}): Node.js does not expose socket options`);
  }

  /** Transports' sockets are always non-blocking; setblocking(true) is refused, as asyncio refuses it. */
  setblocking(flag: boolean): void {
    if (flag) throw new ValueError("setblocking(True) is not supported");
  }

  gettimeout(): number {
    return 0;
  }

  toString(): string {
    let s = `<asyncio.TransportSocket fd=${this.fileno()}, family=${this.family}, type=${this.type}, proto=${this.proto}`;
    if (this.fileno() !== -1) {
      try {
        const laddr = this.getsockname();
        if (laddr) s = `${s}, laddr=${addrRepr(laddr)}`;
      } catch {
        /* not bound */
      }
      try {
        const raddr = this.getpeername();
        if (raddr) s = `${s}, raddr=${addrRepr(raddr)}`;
      } catch {
        /* not connected */
      }
    }
    return `${s}>`;
  }
}

/**
 * CPython's socket module refuses a port out of range when it binds or connects
 * (`OverflowError: bind(): port must be 0-65535.`); Node's own check would say it in a
 * RangeError of its words. A port given as a string (a service name) is getaddrinfo's to judge.
 */
export function _checkPort(port: unknown, op: "bind" | "connect"): void {
  if (typeof port === "number" && Number.isInteger(port) && (port < 0 || port > 65535)) {
    throw new OverflowError(`${op}(): port must be 0-65535.`);
  }
}
