/**
 * The default event loop on Node.js. Node's own event loop is the "selector": its timer and
 * I/O callbacks only enqueue handles in the ready queue, which BaseEventLoop runs in
 * CPython's order. This file holds the loop's network methods (base_events.py and
 * selector_events.py): create_connection, create_server, the unix and datagram variants,
 * connect_accepted_socket, getaddrinfo/getnameinfo, sendfile, start_tls; sock_* raise
 * NotImplementedError (tulip has no socket.socket objects to lend them).
 */
import * as net from "node:net";
import * as dns from "node:dns";
import * as fs from "node:fs";
import { BaseEventLoop } from "./base_events.js";
import { Handle, _setDefaultLoopFactory } from "./events.js";
import { NotImplementedError, OSError, ValueError, _isSystemExiting } from "./exceptions.js";
import { coroutine } from "./coroutines.js";
import { gather } from "./tasks.js";
import * as tasks from "./tasks.js";
import { logger } from "./log.js";
import { checkOptions } from "./_options.js";
import { Server, _Listener } from "./server.js";
import { _SelectorSocketTransport, _kEarlyError } from "./selector_events.js";
import { AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC, AI_PASSIVE, IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM, SockAddr, TransportSocket, _NodeSock, _checkPort, toSockAddr } from "./trsock.js";
import { addrRepr, errnoOf, fromNodeError, makeOSError, strerror } from "./_oserror.js";
import type { Future } from "./futures.js";
import type { BaseTransport } from "./transports.js";
import * as datagram from "./selector_datagram.js";
import { AddrInfo, ProtocolFactory, _callFactory, _interleave_addrinfos, _ipaddr_info } from "./_addrinfo.js";
export type { AddrInfo, ProtocolFactory };
export { _callFactory, _interleave_addrinfos, _ipaddr_info };
import * as sslproto from "./sslproto.js";
import { _sendfile } from "./_sendfile.js";
import { _UnixReadPipeTransport, _UnixSubprocessTransport, _UnixWritePipeTransport, _add_signal_handler, _close_signal_handlers, _remove_signal_handler } from "./unix_events.js";
import type { SignalHandler } from "../signal.js";
import type { SubprocessOptions } from "./unix_events.js";

/** The Popen arguments asyncio accepts only with one value (text mode is not supported). */
interface _PopenChecks {
  universal_newlines?: boolean;
  shell?: boolean;
  bufsize?: number;
  text?: boolean | null;
  encoding?: string | null;
  errors?: string | null;
}

function _checkPopenOptions(o: _PopenChecks, shell: boolean): void {
  if (o.universal_newlines) throw new ValueError("universal_newlines must be False");
  if (shell && o.shell === false) throw new ValueError("shell must be True");
  if (!shell && o.shell) throw new ValueError("shell must be False");
  if (o.bufsize !== undefined && o.bufsize !== 0) throw new ValueError("bufsize must be 0");
  if (o.text) throw new ValueError("text must be False");
  if (o.encoding != null) throw new ValueError("encoding must be None");
  if (o.errors != null) throw new ValueError("errors must be None");
}

export const __all__ = ["NodeEventLoop", "SelectorEventLoop"] as const;


function _set_result_unless_cancelled(fut: Future<unknown>, result: unknown): void {
  if (!fut.done()) fut.set_result(result);
}
function _set_exception_unless_done(fut: Future<unknown>, exc: unknown): void {
  if (!fut.done()) fut.set_exception(exc);
}


const CONNECTION_KW = ["ssl", "family", "proto", "flags", "sock", "local_addr", "server_hostname", "ssl_handshake_timeout",
  "ssl_shutdown_timeout", "happy_eyeballs_delay", "interleave"] as const;
const SERVER_KW = ["family", "flags", "sock", "backlog", "ssl", "reuse_address", "reuse_port", "ssl_handshake_timeout",
  "ssl_shutdown_timeout", "start_serving"] as const;

export interface ConnectionOptions {
  ssl?: unknown; family?: number; proto?: number; flags?: number; sock?: net.Socket | null; local_addr?: [string, number] | null;
  server_hostname?: string | null; ssl_handshake_timeout?: number | null; ssl_shutdown_timeout?: number | null;
  happy_eyeballs_delay?: number | null; interleave?: number | null;
}
export interface ServerOptions {
  family?: number; flags?: number; sock?: net.Server | null; backlog?: number; ssl?: unknown; reuse_address?: boolean | null;
  reuse_port?: boolean | null; ssl_handshake_timeout?: number | null; ssl_shutdown_timeout?: number | null; start_serving?: boolean;
}

/** _accept_connection2 as a lazy coroutine, so its task runs nothing before its first step (as in CPython). */
const _accept_connection2 = coroutine(async function _accept_connection2(
  loop: NodeEventLoop, protocol_factory: ProtocolFactory, conn: net.Socket, nsock: _NodeSock, extra: Record<string, unknown>,
  sslcontext: unknown, server: Server<SockAddr> | null, ssl_handshake_timeout: number | null, ssl_shutdown_timeout: number | null,
) {
  let protocol: unknown = null;
  let transport: BaseTransport | null = null;
  try {
    protocol = _callFactory(protocol_factory);
    if (sslcontext) {
      const [tnsock, sslExtra] = await sslproto._ssl_handshake(loop, nsock, sslcontext as sslproto.SSLContext, true, null, ssl_handshake_timeout);
      nsock = tnsock;
      extra = { ...extra, ...sslExtra };
    }
    void ssl_shutdown_timeout; // Node's TLSSocket closes without a separate shutdown deadline
    const waiter = loop.create_future();
    transport = new _SelectorSocketTransport(loop, nsock, protocol, waiter, extra, server);
    try {
      await waiter;
    } catch (exc) {
      transport.close();
      throw exc;
    }
    // It's now up to the protocol to handle the connection.
  } catch (exc) {
    if (_isSystemExiting(exc)) throw exc;
    if (transport === null) conn.destroy();
    if (loop.get_debug()) {
      const context: Record<string, unknown> = { message: "Error on transport creation for incoming connection", exception: exc };
      if (protocol !== null) context.protocol = protocol;
      if (transport !== null) context.transport = transport;
      loop.call_exception_handler(context);
    }
  }
});

/** Node's 'error' for a socket no transport listens to yet: remembered, so the transport sees it. */
const kEarlyError = _kEarlyError;
function _holdErrors(sock: net.Socket): void {
  sock.on("error", (err) => { (sock as any)[kEarlyError] ??= err; });
}

export class NodeEventLoop extends BaseEventLoop {
  // ---- signals (unix_events._UnixSelectorEventLoop; the work is in unix_events.ts) ----

  _signal_handlers = new Map<number, Handle>();
  _signal_pending: number[] = [];
  _self_reader: Handle | null = null;
  _signal_wakeup: SignalHandler | null = null;

  /**
   * Run `callback(...args)` as a loop callback each time the signal arrives: the Handle is
   * made now, so it runs in the context current at this call; a second call for the same
   * signal replaces the first. `sig` is a number (`signal.SIGTERM` from "tulip/signal") or a
   * name ("SIGTERM"). While it is installed Node's default action for the signal (exit, for
   * SIGTERM and SIGINT) does not run. CPython's errors: TypeError for a coroutine (function),
   * ValueError "invalid signal number N", RuntimeError "sig 9 cannot be caught" (SIGKILL,
   * SIGSTOP); the real-time signals (34–64) raise NotImplementedError, Node cannot listen to them.
   * @example
   * ```ts
   * const loop = asyncio.get_running_loop();
   * const stop = new asyncio.Event();
   * loop.add_signal_handler(signal.SIGTERM, () => stop.set());
   * process.kill(process.pid, "SIGTERM"); // as `kill PID` would
   * await stop.wait(); // the handler ran, and Node's default action (exit) did not
   * console.log(loop.remove_signal_handler(signal.SIGTERM)); // true
   * ```
   */
  override add_signal_handler(sig: number | string, callback: (...args: any[]) => unknown, ...args: unknown[]): void {
    _add_signal_handler(this, sig, callback, args);
  }

  /** Remove the handler for a signal: true if there was one, false if not; Node's default action is back. */
  override remove_signal_handler(sig: number | string): boolean {
    return _remove_signal_handler(this, sig);
  }

  /** Close the loop, and remove the signal handlers it added (other process.on listeners stay). */
  override close(): void {
    super.close();
    _close_signal_handlers(this);
  }

  // ---- name resolution ----

  /** getaddrinfo via Node's resolver (dns.lookup, the system's getaddrinfo): a list of [family, type, proto, canonname, sockaddr]. */
  async getaddrinfo(host: string | null, port: unknown, options: { family?: number; type?: number; proto?: number; flags?: number } = {}): Promise<AddrInfo[]> {
    checkOptions("getaddrinfo", options, ["family", "type", "proto", "flags"]);
    const family = options.family ?? 0, type = options.type ?? 0, proto = options.proto ?? 0, flags = options.flags ?? 0;
    const fut = this.create_future<dns.LookupAddress[]>();
    let p = 0;
    if (typeof port === "number") p = port;
    else if (typeof port === "string" && port !== "") {
      if (!/^\d+$/.test(port)) throw makeOSError(-8, "Servname not supported for ai_socktype");
      p = parseInt(port, 10);
    }
    if (host === null || host === undefined || host === "") {
      const passive = (flags & AI_PASSIVE) !== 0;
      const addrs: dns.LookupAddress[] = [];
      if (family !== AF_INET6) addrs.push({ address: passive ? "0.0.0.0" : "127.0.0.1", family: 4 });
      if (family !== AF_INET) addrs.push({ address: passive ? "::" : "::1", family: 6 });
      fut.set_result(addrs);
    } else {
      dns.lookup(host, { all: true, family: family === AF_INET ? 4 : family === AF_INET6 ? 6 : 0, verbatim: true }, (err, addrs) => {
        if (err) {
          const gai = (err as { code?: string }).code === "ENOTFOUND" ? makeGaiError(-2, "Name or service not known") : fromNodeError(err);
          this._call_soon(_set_exception_unless_done, [fut, gai], null);
        } else this._call_soon(_set_result_unless_cancelled, [fut, addrs], null);
      });
    }
    const addrs = await fut;
    const types: [number, number][] = type === 0 ? [[SOCK_STREAM, IPPROTO_TCP], [SOCK_DGRAM, IPPROTO_UDP], [3, 0]]
      : [[type, proto || (type === SOCK_STREAM ? IPPROTO_TCP : type === SOCK_DGRAM ? IPPROTO_UDP : 0)]];
    const out: AddrInfo[] = [];
    for (const a of addrs) {
      for (const [t, pr] of types) {
        out.push(a.family === 6 ? [AF_INET6, t, pr, "", [a.address, p, 0, 0]] : [AF_INET, t, pr, "", [a.address, p]]);
      }
    }
    return out;
  }

  /** getnameinfo: `[host, service]` for a sockaddr (dns.lookupService). */
  async getnameinfo(sockaddr: SockAddr, _flags = 0): Promise<[string, string]> {
    const [host, port] = sockaddr as [string, number];
    const fut = this.create_future<[string, string]>();
    dns.lookupService(host, port, (err, hostname, service) => {
      if (err) this._call_soon(_set_exception_unless_done, [fut, fromNodeError(err)], null);
      else this._call_soon(_set_result_unless_cancelled, [fut, [hostname, service]], null);
    });
    return await fut;
  }

  async _ensure_resolved(address: [string | null, unknown, ...number[]], options: { family?: number; type?: number; proto?: number; flags?: number }): Promise<AddrInfo[]> {
    const [host, port, ...rest] = address;
    const info = _ipaddr_info(host, port, options.family ?? 0, options.type ?? SOCK_STREAM, options.proto ?? 0, ...rest);
    if (info !== null) return [info]; // "host" is already a resolved IP.
    return await this.getaddrinfo(host, port, options);
  }

  // ---- connecting ----

  /** Connects a Node socket; the future's result is set from the loop (as _sock_connect_cb is). */
  _sock_connect(sock: net.Socket, opts: net.NetConnectOpts, address: SockAddr): Future<null> {
    const fut = this.create_future<null>();
    const onConnect = () => {
      sock.off("error", onError);
      // A unix socket connects inside connect() in CPython (no loop iteration); TCP waits
      // for writability, then _sock_connect_cb runs as a handle.
      if (this._closed) return; // a connect that completes after close(): nothing would run its waiter
      if (typeof address === "string") _set_result_unless_cancelled(fut, null);
      else this._call_soon(_set_result_unless_cancelled, [fut, null], null);
    };
    const onError = (err: Error & { code?: string; syscall?: string }) => {
      sock.off("connect", onConnect);
      let exc: unknown;
      if (err.syscall === "bind") {
        exc = makeOSError(errnoOf(err.code!), `error while attempting to bind on address ${addrRepr([(opts as net.TcpNetConnectOpts).localAddress, (opts as net.TcpNetConnectOpts).localPort ?? 0])}: ${strerror(err.code!).toLowerCase()}`);
      } else if (err.code && errnoOf(err.code)) {
        exc = makeOSError(errnoOf(err.code), `Connect call failed ${addrRepr(address)}`);
      } else exc = fromNodeError(err);
      this._call_soon(_set_exception_unless_done, [fut, exc], null);
    };
    sock.once("connect", onConnect);
    sock.once("error", onError);
    sock.connect(opts);
    return fut;
  }

  /** Create, bind and connect one socket (base_events._connect_sock). */
  async _connect_sock(exceptions: unknown[][], addr_info: AddrInfo, local_addr_infos: AddrInfo[] | null = null): Promise<_NodeSock> {
    const my_exceptions: unknown[] = [];
    exceptions.push(my_exceptions);
    const [family, , , , address] = addr_info;
    const [host, port] = address as [string, number];
    const sock = new net.Socket({ allowHalfOpen: true });
    try {
      const opts: net.TcpNetConnectOpts = { host, port, family: family === AF_INET6 ? 6 : 4 };
      if (local_addr_infos !== null) {
        const l = local_addr_infos.find((i) => i[0] === family);
        if (l === undefined) throw new OSError(`no matching local address with family=${family} found`);
        const [lhost, lport] = l[4] as [string, number];
        opts.localAddress = lhost;
        if (lport) opts.localPort = lport;
      }
      await this._sock_connect(sock, opts, address);
      return new _NodeSock(sock, "tcp", family);
    } catch (exc) {
      if (exc instanceof OSError) my_exceptions.push(exc);
      sock.destroy();
      throw exc;
    }
  }

  /**
   * Connect to a TCP server: `await loop.create_connection(Factory, host, port, { ssl, local_addr, … })`
   * resolves to `[transport, protocol]` once connection_made() has run.
   */
  async create_connection<P>(protocol_factory: ProtocolFactory<P>, host: string | null = null, port: number | string | null = null,
    options: ConnectionOptions = {}): Promise<[_SelectorSocketTransport, P]> {
    checkOptions("create_connection", options, CONNECTION_KW);
    let { ssl = null, server_hostname = null, sock = null, interleave = null } = options;
    const { family = 0, proto = 0, flags = 0, local_addr = null, ssl_handshake_timeout = null, ssl_shutdown_timeout = null, happy_eyeballs_delay = null } = options;
    if (server_hostname !== null && !ssl) throw new ValueError("server_hostname is only meaningful with ssl");
    if (server_hostname === null && ssl) {
      if (!host) throw new ValueError("You must set server_hostname when using ssl without a host");
      server_hostname = host;
    }
    if (ssl_handshake_timeout !== null && !ssl) throw new ValueError("ssl_handshake_timeout is only meaningful with ssl");
    if (ssl_shutdown_timeout !== null && !ssl) throw new ValueError("ssl_shutdown_timeout is only meaningful with ssl");
    if (happy_eyeballs_delay !== null && interleave === null) interleave = 1;
    let nsock: _NodeSock | null = null;
    if (host !== null || port !== null) {
      if (sock !== null) throw new ValueError("host/port and sock can not be specified at the same time");
      if (Array.isArray(local_addr)) _checkPort(local_addr[1], "bind");
      _checkPort(port, "connect");
      let infos = await this._ensure_resolved([host, port], { family, type: SOCK_STREAM, proto, flags });
      if (infos.length === 0) throw new OSError("getaddrinfo() returned empty list");
      let laddr_infos: AddrInfo[] | null = null;
      if (local_addr !== null) {
        laddr_infos = await this._ensure_resolved(local_addr, { family, type: SOCK_STREAM, proto, flags });
        if (laddr_infos.length === 0) throw new OSError("getaddrinfo() returned empty list");
      }
      if (interleave) infos = _interleave_addrinfos(infos, interleave);
      let exceptions: unknown[][] = [];
      // Happy eyeballs (staggered connects) is not ported: addresses are tried one by one.
      for (const addrinfo of infos) {
        try {
          nsock = await this._connect_sock(exceptions, addrinfo, laddr_infos);
          break;
        } catch (exc) {
          if (!(exc instanceof OSError)) throw exc;
        }
      }
      if (nsock === null) {
        const flat = exceptions.flat();
        exceptions = [];
        if (flat.length === 1) throw flat[0];
        const model = String((flat[0] as Error).message);
        if (flat.every((e) => (e as Error).message === model)) throw flat[0];
        throw new OSError(`Multiple exceptions: ${flat.map((e) => (e as Error).message).join(", ")}`);
      }
    } else {
      if (sock === null) throw new ValueError("host and port was not specified and no sock specified");
      nsock = _wrapConnected(sock);
    }
    const [transport, protocol] = await this._create_connection_transport(nsock, protocol_factory, ssl, server_hostname, false,
      ssl_handshake_timeout, ssl_shutdown_timeout);
    if (this._debug) logger.debug(`${transport.get_extra_info("socket")} connected to ${host}:${port}: (${transport}, ${protocol})`);
    return [transport, protocol];
  }

  async _create_connection_transport<P>(nsock: _NodeSock, protocol_factory: ProtocolFactory<P>, ssl: unknown, server_hostname: string | null,
    server_side = false, ssl_handshake_timeout: number | null = null, ssl_shutdown_timeout: number | null = null): Promise<[_SelectorSocketTransport, P]> {
    let protocol: P;
    try {
      protocol = _callFactory(protocol_factory);
    } catch (exc) {
      (nsock.node as net.Socket).destroy();
      throw exc;
    }
    let extra: Record<string, unknown> | null = null;
    if (ssl) {
      const sslcontext = typeof ssl === "boolean" ? null : ssl;
      const peername = nsock.getpeername();
      [nsock, extra] = await sslproto._ssl_handshake(this, nsock, sslcontext as sslproto.SSLContext | null, server_side, server_hostname, ssl_handshake_timeout);
      extra.peername = peername;
    }
    void ssl_shutdown_timeout;
    const waiter = this.create_future();
    const transport = new _SelectorSocketTransport(this, nsock, protocol, waiter, extra);
    try {
      await waiter;
    } catch (exc) {
      transport.close();
      throw exc;
    }
    return [transport, protocol];
  }

  /** Wrap an already accepted connection (a connected net.Socket) in a transport/protocol pair. */
  async connect_accepted_socket<P>(protocol_factory: ProtocolFactory<P>, sock: net.Socket, options: { ssl?: unknown; ssl_handshake_timeout?: number | null; ssl_shutdown_timeout?: number | null } = {}): Promise<[_SelectorSocketTransport, P]> {
    checkOptions("connect_accepted_socket", options, ["ssl", "ssl_handshake_timeout", "ssl_shutdown_timeout"]);
    const { ssl = null, ssl_handshake_timeout = null, ssl_shutdown_timeout = null } = options;
    if (ssl_handshake_timeout !== null && !ssl) throw new ValueError("ssl_handshake_timeout is only meaningful with ssl");
    if (ssl_shutdown_timeout !== null && !ssl) throw new ValueError("ssl_shutdown_timeout is only meaningful with ssl");
    const [transport, protocol] = await this._create_connection_transport(_wrapConnected(sock), protocol_factory, ssl, "", true,
      ssl_handshake_timeout, ssl_shutdown_timeout);
    return [transport, protocol];
  }

  // ---- serving ----

  /** Listen on one address; bind errors read as CPython's ("error while attempting to bind on address …"). */
  _listen(srv: net.Server, opts: net.ListenOptions, sa: SockAddr): Future<null> {
    const fut = this.create_future<null>();
    const onListening = () => {
      srv.off("error", onError);
      this._call_soon(_set_result_unless_cancelled, [fut, null], null);
    };
    const onError = (err: Error & { code?: string }) => {
      srv.off("listening", onListening);
      const code = err.code ?? "";
      const exc = typeof sa === "string" && code === "EADDRINUSE"
        ? makeOSError(errnoOf(code), `Address ${addrRepr(sa)} is already in use`)
        : errnoOf(code) ? new OSError(errnoOf(code), `error while attempting to bind on address ${addrRepr(sa)}: ${strerror(code).toLowerCase()}`) : fromNodeError(err);
      this._call_soon(_set_exception_unless_done, [fut, exc], null);
    };
    srv.once("listening", onListening);
    srv.once("error", onError);
    srv.listen(opts);
    return fut;
  }

  _makeListener(srv: net.Server, nsock: _NodeSock): _Listener {
    const listener: _Listener = { nsock, pending: [], handle: null, queued: false, serving: false };
    srv.on("connection", (conn: net.Socket) => {
      _holdErrors(conn);
      listener.pending.push(conn);
      if (listener.serving && !listener.queued && listener.handle !== null) {
        listener.queued = true;
        this._add_callback(listener.handle);
      }
    });
    // Errors on a listening socket after listen() have nowhere to go in asyncio either.
    // (Before that, listen() failures go to create_server's caller through _listen.)
    srv.on("error", (err) => { if (srv.listening) logger.error(`error on listening socket ${String(new TransportSocket(nsock))}`, err); });
    return listener;
  }

  /**
   * Create a TCP server: `await loop.create_server(Factory, host, port, { backlog, reuse_address, start_serving })`.
   * `host` may be a list (one listening socket each), "" or null (all interfaces); port 0 picks a free port.
   * Node always sets SO_REUSEADDR on listening TCP sockets, so `reuse_address: false` cannot be honoured.
   */
  async create_server(protocol_factory: ProtocolFactory, host: string | string[] | null = null, port: number | string | null = null,
    options: ServerOptions = {}): Promise<Server> {
    checkOptions("create_server", options, SERVER_KW);
    const { family = AF_UNSPEC, flags = AI_PASSIVE, sock = null, backlog = 100, ssl = null, reuse_port = null,
      ssl_handshake_timeout = null, ssl_shutdown_timeout = null, start_serving = true } = options;
    if (typeof ssl === "boolean") throw new TypeError("ssl argument must be an SSLContext or None");
    if (ssl_handshake_timeout !== null && ssl === null) throw new ValueError("ssl_handshake_timeout is only meaningful with ssl");
    if (ssl_shutdown_timeout !== null && ssl === null) throw new ValueError("ssl_shutdown_timeout is only meaningful with ssl");
    const listeners: _Listener[] = [];
    if (host !== null || port !== null) {
      if (sock !== null) throw new ValueError("host/port and sock can not be specified at the same time");
      _checkPort(port, "bind");
      const hosts: (string | null)[] = host === "" ? [null] : typeof host === "string" || host === null ? [host] : [...host];
      const fs_ = hosts.map((h) => tasks.ensure_future(this.getaddrinfo(h, port, { family, type: SOCK_STREAM, flags: flags | AI_PASSIVE }), { loop: this }));
      const infoLists = await gather(...fs_);
      const seen = new Set<string>();
      const infos = infoLists.flat().filter((i) => {
        const k = JSON.stringify(i);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      let completed = false;
      try {
        for (const [af, , , , sa] of infos) {
          const srv = net.createServer({ allowHalfOpen: true });
          const [h, p] = sa as [string, number];
          const opts: net.ListenOptions & { reusePort?: boolean } = { host: h, port: p, backlog, exclusive: true };
          if (af === AF_INET6) opts.ipv6Only = true;
          if (reuse_port) {
            if (!_nodeHasReusePort()) throw new ValueError("reuse_port not supported by socket module");
            opts.reusePort = true;
          }
          const nsock = new _NodeSock(srv, "tcp", af, null, "server");
          listeners.push(this._makeListener(srv, nsock));
          try {
            await this._listen(srv, opts, sa);
          } catch (exc) {
            if (af === AF_INET6 && exc instanceof OSError && exc.errno === errnoOf("EAFNOSUPPORT")) {
              listeners.pop();
              continue; // no IPv6 here: as when socket.socket() fails, skip it
            }
            throw exc;
          }
        }
        completed = true;
      } finally {
        if (!completed) for (const l of listeners) this._stop_serving(l);
      }
    } else {
      if (sock === null) throw new ValueError("Neither host/port nor sock were specified");
      const a = sock.address();
      const nsock = typeof a === "string" ? new _NodeSock(sock, "unix", AF_UNIX, a, "server") : new _NodeSock(sock, "tcp", a && a.family === "IPv6" ? AF_INET6 : AF_INET, null, "server");
      listeners.push(this._makeListener(sock, nsock));
    }
    const server = new Server(this, listeners, protocol_factory, ssl, backlog, ssl_handshake_timeout, ssl_shutdown_timeout);
    if (start_serving) {
      server._start_serving();
      // Skip one loop iteration so that all 'loop.add_reader' go through.
      await tasks.sleep(0);
    }
    if (this._debug) logger.info(`${server} is serving`);
    return server;
  }

  /** Server side: hand the connections Node accepted to the loop (selector_events._start_serving). */
  _start_serving(protocol_factory: ProtocolFactory, listener: _Listener, sslcontext: unknown, server: Server<SockAddr>, backlog: number,
    ssl_handshake_timeout: number | null, ssl_shutdown_timeout: number | null): void {
    listener.serving = true;
    listener.handle = new Handle(this._accept_connection, [protocol_factory, listener, sslcontext, server, backlog,
      ssl_handshake_timeout, ssl_shutdown_timeout], this, null);
    if (listener.pending.length > 0 && !listener.queued) {
      listener.queued = true;
      this._add_callback(listener.handle);
    }
  }

  /** Accept up to `backlog` connections per readiness event, each in its own task (selector_events._accept_connection). */
  readonly _accept_connection = (protocol_factory: ProtocolFactory, listener: _Listener, sslcontext: unknown, server: Server<SockAddr>,
    backlog: number, ssl_handshake_timeout: number | null, ssl_shutdown_timeout: number | null): void => {
    listener.queued = false;
    if (!listener.serving) return;
    for (let i = 0; i < backlog && listener.pending.length > 0; i++) {
      const conn = listener.pending.shift()!;
      const nsock = listener.nsock.kind === "unix"
        ? new _NodeSock(conn, "unix", AF_UNIX, listener.nsock.path, "server")
        : new _NodeSock(conn, "tcp", listener.nsock.family);
      let peer: unknown;
      try {
        peer = nsock.getpeername();
      } catch {
        peer = null;
      }
      if (this._debug) logger.debug(`${server} got a new connection from ${addrRepr(peer)}: ${conn}`);
      this.create_task(_accept_connection2(this, protocol_factory, conn, nsock, { peername: peer }, sslcontext, server,
        ssl_handshake_timeout, ssl_shutdown_timeout));
    }
    if (listener.pending.length > 0) {
      listener.queued = true;
      this._add_callback(listener.handle!);
    }
  };

  _stop_serving(listener: _Listener): void {
    listener.serving = false;
    listener.handle?.cancel();
    for (const conn of listener.pending) conn.destroy();
    listener.pending.length = 0;
    const srv = listener.nsock.node as net.Server;
    if (srv.listening) srv.close();
  }

  // ---- unix sockets ----

  /** Connect to a unix socket at `path`: resolves to `[transport, protocol]`. */
  async create_unix_connection<P>(protocol_factory: ProtocolFactory<P>, path: string | null = null,
    options: { ssl?: unknown; sock?: net.Socket | null; server_hostname?: string | null; ssl_handshake_timeout?: number | null; ssl_shutdown_timeout?: number | null } = {}): Promise<[_SelectorSocketTransport, P]> {
    checkOptions("create_unix_connection", options, ["ssl", "sock", "server_hostname", "ssl_handshake_timeout", "ssl_shutdown_timeout"]);
    let { ssl = null, sock = null, server_hostname = null } = options;
    const { ssl_handshake_timeout = null, ssl_shutdown_timeout = null } = options;
    if (ssl) {
      if (server_hostname === null) throw new ValueError("you have to pass server_hostname when using ssl");
    } else {
      if (server_hostname !== null) throw new ValueError("server_hostname is only meaningful with ssl");
      if (ssl_handshake_timeout !== null) throw new ValueError("ssl_handshake_timeout is only meaningful with ssl");
      if (ssl_shutdown_timeout !== null) throw new ValueError("ssl_shutdown_timeout is only meaningful with ssl");
    }
    let nsock: _NodeSock;
    if (path !== null) {
      if (sock !== null) throw new ValueError("path and sock can not be specified at the same time");
      const s = new net.Socket({ allowHalfOpen: true });
      try {
        await this._sock_connect(s, { path }, path);
      } catch (exc) {
        s.destroy();
        throw exc;
      }
      nsock = new _NodeSock(s, "unix", AF_UNIX, path, "client");
    } else {
      if (sock === null) throw new ValueError("no path and sock were specified");
      nsock = _wrapConnected(sock);
    }
    return await this._create_connection_transport(nsock, protocol_factory, ssl, server_hostname, false, ssl_handshake_timeout, ssl_shutdown_timeout);
  }

  /** A server on a unix socket at `path` (a stale socket file there is removed first, as asyncio does). */
  async create_unix_server(protocol_factory: ProtocolFactory, path: string | null = null,
    options: { sock?: net.Server | null; backlog?: number; ssl?: unknown; ssl_handshake_timeout?: number | null; ssl_shutdown_timeout?: number | null; start_serving?: boolean } = {}): Promise<Server<string>> {
    checkOptions("create_unix_server", options, ["sock", "backlog", "ssl", "ssl_handshake_timeout", "ssl_shutdown_timeout", "start_serving"]);
    const { sock = null, backlog = 100, ssl = null, ssl_handshake_timeout = null, ssl_shutdown_timeout = null, start_serving = true } = options;
    if (typeof ssl === "boolean") throw new TypeError("ssl argument must be an SSLContext or None");
    if (ssl_handshake_timeout !== null && !ssl) throw new ValueError("ssl_handshake_timeout is only meaningful with ssl");
    if (ssl_shutdown_timeout !== null && !ssl) throw new ValueError("ssl_shutdown_timeout is only meaningful with ssl");
    let listener: _Listener;
    if (path !== null) {
      if (sock !== null) throw new ValueError("path and sock can not be specified at the same time");
      // Check for abstract socket. `str` and `bytes` paths are supported.
      if (path[0] !== "\0") {
        try {
          if (fs.statSync(path).isSocket()) fs.unlinkSync(path);
        } catch (err) {
          if ((err as { code?: string }).code !== "ENOENT") {
            logger.error(`Unable to check or remove stale UNIX socket ${addrRepr(path)}: ${err}`);
          }
        }
      }
      const srv = net.createServer({ allowHalfOpen: true });
      listener = this._makeListener(srv, new _NodeSock(srv, "unix", AF_UNIX, path, "server"));
      try {
        await this._listen(srv, { path, backlog }, path);
      } catch (exc) {
        this._stop_serving(listener);
        throw exc;
      }
    } else {
      if (sock === null) throw new ValueError("path was not specified, and no sock specified");
      listener = this._makeListener(sock, new _NodeSock(sock, "unix", AF_UNIX, String(sock.address()), "server"));
    }
    const server = new Server<string>(this, [listener], protocol_factory, ssl, backlog, ssl_handshake_timeout, ssl_shutdown_timeout);
    if (start_serving) {
      server._start_serving();
      await tasks.sleep(0);
    }
    return server;
  }

  // ---- datagrams, TLS, sendfile ----

  /** A UDP endpoint: `await loop.create_datagram_endpoint(Factory, { local_addr, remote_addr })` → `[transport, protocol]`. */
  async create_datagram_endpoint<P>(protocol_factory: ProtocolFactory<P>, options: datagram.DatagramOptions = {}): Promise<[datagram._SelectorDatagramTransport, P]> {
    return await datagram.create_datagram_endpoint(this, protocol_factory, options);
  }

  /** Upgrade an existing transport to TLS (Node's tls.TLSSocket over its socket); resolves to the new transport. */
  async start_tls(transport: _SelectorSocketTransport, protocol: unknown, sslcontext: unknown,
    options: { server_side?: boolean; server_hostname?: string | null; ssl_handshake_timeout?: number | null; ssl_shutdown_timeout?: number | null } = {}): Promise<_SelectorSocketTransport> {
    checkOptions("start_tls", options, ["server_side", "server_hostname", "ssl_handshake_timeout", "ssl_shutdown_timeout"]);
    return await sslproto.start_tls(this, transport, protocol, sslcontext, options);
  }

  /** Send a file (a path, an fs.promises FileHandle or a numeric fd) over a transport; resolves to the bytes sent. */
  async sendfile(transport: _SelectorSocketTransport, file: unknown, offset = 0, count: number | null = null,
    options: { fallback?: boolean } = {}): Promise<number> {
    checkOptions("sendfile", options, ["fallback"]);
    return await _sendfile(this, transport, file, offset, count, options.fallback ?? true);
  }

  async sock_sendfile(..._a: unknown[]): Promise<never> {
    throw _noSock("sock_sendfile");
  }
  async sock_recv(..._a: unknown[]): Promise<never> {
    throw _noSock("sock_recv");
  }
  async sock_recv_into(..._a: unknown[]): Promise<never> {
    throw _noSock("sock_recv_into");
  }
  async sock_recvfrom(..._a: unknown[]): Promise<never> {
    throw _noSock("sock_recvfrom");
  }
  async sock_recvfrom_into(..._a: unknown[]): Promise<never> {
    throw _noSock("sock_recvfrom_into");
  }
  async sock_sendall(..._a: unknown[]): Promise<never> {
    throw _noSock("sock_sendall");
  }
  async sock_sendto(..._a: unknown[]): Promise<never> {
    throw _noSock("sock_sendto");
  }
  async sock_connect(..._a: unknown[]): Promise<never> {
    throw _noSock("sock_connect");
  }
  async sock_accept(..._a: unknown[]): Promise<never> {
    throw _noSock("sock_accept");
  }

  // ---- pipes and subprocesses (base_events.py, unix_events.py) ----

  /**
   * Register a read pipe (a Node Readable: a child's stdout, process.stdin…) with the loop;
   * resolves to `[transport, protocol]` once connection_made has been scheduled.
   */
  async connect_read_pipe<P>(protocol_factory: ProtocolFactory<P>, pipe: unknown): Promise<[_UnixReadPipeTransport, P]> {
    const protocol = _callFactory(protocol_factory);
    const waiter = this.create_future();
    const transport = new _UnixReadPipeTransport(this, pipe, protocol as never, waiter);
    try {
      await waiter;
    } catch (e) {
      transport.close();
      throw e;
    }
    return [transport, protocol];
  }

  /** Register a write pipe (a Node Writable: a child's stdin, process.stdout…) with the loop. */
  async connect_write_pipe<P>(protocol_factory: ProtocolFactory<P>, pipe: unknown): Promise<[_UnixWritePipeTransport, P]> {
    const protocol = _callFactory(protocol_factory);
    const waiter = this.create_future();
    const transport = new _UnixWritePipeTransport(this, pipe, protocol as never, waiter);
    try {
      await waiter;
    } catch (e) {
      transport.close();
      throw e;
    }
    return [transport, protocol];
  }

  /**
   * Run `cmd` with /bin/sh; resolves to `[transport, protocol]` (a SubprocessProtocol).
   * `{ stdin, stdout, stderr }` take PIPE (default), DEVNULL, STDOUT (stderr), null to inherit,
   * an fd or a stream; also `cwd`, `env`.
   */
  async subprocess_shell<P>(protocol_factory: ProtocolFactory<P>, cmd: string, options: SubprocessOptions & _PopenChecks = {}): Promise<[_UnixSubprocessTransport, P]> {
    if (typeof cmd !== "string") throw new ValueError("cmd must be a string");
    _checkPopenOptions(options, true);
    return await this._make_subprocess_transport(protocol_factory, cmd, true, options);
  }

  /** Run `program` with `args` (no shell); resolves to `[transport, protocol]`. */
  async subprocess_exec<P>(protocol_factory: ProtocolFactory<P>, program: string, ...args: unknown[]): Promise<[_UnixSubprocessTransport, P]> {
    const opts = (args.length > 0 && typeof args[args.length - 1] === "object" && args[args.length - 1] !== null && !(args[args.length - 1] instanceof Uint8Array)
      ? args.pop() : {}) as SubprocessOptions & _PopenChecks;
    _checkPopenOptions(opts, false);
    const argv = [program, ...args].map((a) => (a instanceof Uint8Array ? Buffer.from(a).toString() : String(a)));
    return await this._make_subprocess_transport(protocol_factory, argv, false, opts);
  }

  async _make_subprocess_transport<P>(protocol_factory: ProtocolFactory<P>, args: string | string[], shell: boolean, options: SubprocessOptions & _PopenChecks): Promise<[_UnixSubprocessTransport, P]> {
    const protocol = _callFactory(protocol_factory);
    if (this._debug) logger.debug(shell ? `run shell command '${args}'` : `execute program '${(args as string[])[0]}'`);
    const waiter = this.create_future();
    const { universal_newlines: _u, shell: _s, bufsize: _b, text: _t, encoding: _e, errors: _r, ...popen } = options;
    const transp = await _UnixSubprocessTransport._spawn(this, protocol as never, args, shell, popen, waiter, null);
    try {
      await waiter;
    } catch (exc) {
      if (_isSystemExiting(exc)) throw exc;
      transp.close();
      await transp._wait();
      throw exc;
    }
    return [transp, protocol];
  }

}

function _noSock(name: string): NotImplementedError {
  return new NotImplementedError(`${name}: tulip has no socket.socket objects (Node.js does not lend raw non-blocking sockets); use transports or streams`);
}

/** gaierror: Python's socket.gaierror is an OSError subclass; its errno is EAI_* (negative). */
function makeGaiError(errno: number, msg: string): OSError {
  const e = new OSError(errno, msg);
  e.name = "gaierror";
  return e;
}

let reusePortSupport: boolean | null = null;
function _nodeHasReusePort(): boolean {
  if (reusePortSupport === null) {
    const [maj, min] = process.versions.node.split(".").map(Number);
    reusePortSupport = maj > 23 || (maj === 23 && min >= 1) || (maj === 22 && min >= 12);
  }
  return reusePortSupport;
}

/** A connected net.Socket given as `sock=`: its family from its addresses. */
function _wrapConnected(sock: net.Socket): _NodeSock {
  if (!(sock instanceof net.Socket)) throw new ValueError(`A Stream Socket was expected, got ${sock}`);
  if (sock.remoteAddress === undefined && sock.localAddress === undefined) return new _NodeSock(sock, "unix", AF_UNIX, null, "server");
  return new _NodeSock(sock, "tcp", sock.remoteFamily === "IPv6" ? AF_INET6 : AF_INET);
}

/** asyncio's name for the default loop class on Unix; here it is the Node loop. */
export const SelectorEventLoop = NodeEventLoop;

_setDefaultLoopFactory(() => new NodeEventLoop());

export { toSockAddr };
