/**
 * Server (base_events.Server): what create_server() returns — its listening sockets, and
 * close / wait_closed / serve_forever / start_serving with CPython 3.11's exact logic.
 *
 * A listener is a net.Server. Node binds and listens in one step, so a server made with
 * `start_serving: false` already accepts in the kernel; tulip holds the accepted sockets
 * until start_serving() (where CPython, not yet listening, would refuse them).
 */
import type * as net from "node:net";
import { AbstractServer } from "./events.js";
import { CancelledError, RuntimeError } from "./exceptions.js";
import { TransportSocket, _NodeSock, type InetAddr, type SockAddr } from "./trsock.js";
import type { Handle } from "./events.js";
import type { BaseEventLoop } from "./base_events.js";
import type { Future } from "./futures.js";
import * as tasks from "./tasks.js";

export const __all__ = ["Server"] as const;

/** A listening socket: the net.Server, the connections Node accepted that the loop has not taken yet. */
export interface _Listener {
  nsock: _NodeSock;
  pending: net.Socket[];
  handle: Handle | null;
  queued: boolean;
  serving: boolean;
}

/** The loop side of serving (NodeEventLoop implements it). */
export interface _ServingLoop extends BaseEventLoop {
  _start_serving(protocol_factory: unknown, listener: _Listener, sslcontext: unknown, server: Server<SockAddr>, backlog: number,
    ssl_handshake_timeout: number | null, ssl_shutdown_timeout: number | null): void;
  _stop_serving(listener: _Listener): void;
}

/** `A`: the type of its sockets' addresses (a unix server's are paths: `Server<string>`). */
export class Server<A extends SockAddr = InetAddr> extends AbstractServer {
  _loop: _ServingLoop;
  _sockets: _Listener[] | null;
  _active_count = 0;
  _waiters: Future<unknown>[] | null = [];
  _protocol_factory: unknown;
  _backlog: number;
  _ssl_context: unknown;
  _ssl_handshake_timeout: number | null;
  _ssl_shutdown_timeout: number | null;
  _serving = false;
  _serving_forever_fut: Future<unknown> | null = null;

  constructor(loop: _ServingLoop, sockets: _Listener[], protocol_factory: unknown, ssl_context: unknown, backlog: number,
    ssl_handshake_timeout: number | null, ssl_shutdown_timeout: number | null = null) {
    super();
    this._loop = loop;
    this._sockets = sockets;
    this._protocol_factory = protocol_factory;
    this._backlog = backlog;
    this._ssl_context = ssl_context;
    this._ssl_handshake_timeout = ssl_handshake_timeout;
    this._ssl_shutdown_timeout = ssl_shutdown_timeout;
  }

  override toString(): string {
    const socks = this.sockets.map(String);
    return `<${this.constructor.name} sockets=(${socks.join(", ")}${socks.length === 1 ? "," : ""})>`;
  }

  _attach(): void {
    this._active_count += 1;
  }

  _detach(): void {
    this._active_count -= 1;
    if (this._active_count === 0 && this._sockets === null) this._wakeup();
  }

  _wakeup(): void {
    const waiters = this._waiters;
    this._waiters = null;
    // CPython sets each waiter's result to the waiter itself; here that would be a thenable
    // result, which `await` adopts forever. Nobody reads it (wait_closed returns None): null.
    for (const waiter of waiters ?? []) if (!waiter.done()) waiter.set_result(null);
  }

  _start_serving(): void {
    if (this._serving) return;
    this._serving = true;
    for (const sock of this._sockets!) {
      this._loop._start_serving(this._protocol_factory, sock, this._ssl_context, this, this._backlog,
        this._ssl_handshake_timeout, this._ssl_shutdown_timeout);
    }
  }

  override get_loop(): any {
    return this._loop;
  }

  override is_serving(): boolean {
    return this._serving;
  }

  /** The listening sockets, as TransportSocket objects (an empty array once closed). */
  get sockets(): TransportSocket<A>[] {
    if (this._sockets === null) return [];
    return this._sockets.map((s) => new TransportSocket<A>(s.nsock));
  }

  /** Stop serving: close the listening sockets. Existing connections stay open. */
  override close(): void {
    const sockets = this._sockets;
    if (sockets === null) return;
    this._sockets = null;
    for (const sock of sockets) this._loop._stop_serving(sock);
    this._serving = false;
    if (this._serving_forever_fut !== null && !this._serving_forever_fut.done()) {
      this._serving_forever_fut.cancel();
      this._serving_forever_fut = null;
    }
    if (this._active_count === 0) this._wakeup();
  }

  /** Start accepting connections (a no-op if already serving). */
  override async start_serving(): Promise<void> {
    this._start_serving();
    // Skip one loop iteration so that all 'loop.add_reader' go through.
    await tasks.sleep(0);
  }

  /** Start accepting connections until the coroutine is cancelled; cancelling closes the server. */
  override async serve_forever(): Promise<void> {
    if (this._serving_forever_fut !== null) {
      throw new RuntimeError(`server ${this} is already being awaited on serve_forever()`);
    }
    if (this._sockets === null) throw new RuntimeError(`server ${this} is closed`);
    this._start_serving();
    this._serving_forever_fut = this._loop.create_future();
    try {
      await this._serving_forever_fut;
    } catch (exc) {
      if (exc instanceof CancelledError) {
        try {
          this.close();
          await this.wait_closed();
        } finally {
          // eslint-disable-next-line no-unsafe-finally
          throw exc;
        }
      }
      throw exc;
    } finally {
      this._serving_forever_fut = null;
    }
  }

  /**
   * Wait until the server is closed and its connections are gone — with 3.11's quirk: once
   * close() has been called, it returns at once (fixed in 3.12).
   */
  override async wait_closed(): Promise<void> {
    if (this._sockets === null || this._waiters === null) return;
    const waiter = this._loop.create_future();
    this._waiters.push(waiter);
    await waiter;
  }
}
