/**
 * A bridge peer: call the other side's functions, serve your own. The same protocol and
 * guarantees as `py/tulip_bridge/peer.py`.
 *
 * @example
 * ```ts
 * const peer = await Peer.connect("tcp://127.0.0.1:5555");    // or Peer.bind(...)
 * peer.register("add", async (a: number, b: number) => a + b);
 * const mean = await peer.call("stats.mean", [1, 2, 3]);
 * const r = await peer.invoke("f", { args: [1], kwargs: { scale: 2 }, timeout: 1.5 });
 * for await (const row of peer.stream("db.rows", "q")) console.log(row);
 * await peer.close();
 * ```
 *
 * Keyword arguments from Python reach a registered function as one trailing plain object
 * (`f(1, scale=2)` calls `fn(1, { scale: 2 })`); with no keywords there is no trailing object.
 *
 * A bound peer (ROUTER) serves any number of connected peers and keeps them apart: replies,
 * cancels and credits count only from the connection the call went to; a call made while
 * serving one (in its task, on a tulip loop) goes back to its caller, any other to the first
 * live peer that greeted — or, with `fanout`, to the live peer with the fewest of our calls in
 * flight (ties round-robin), each call pinned to the worker that took it. A connected peer
 * (DEALER) talks to the one it connected to.
 * Each call ends in a result or an exception and runs at most once. A peer silent for
 * `heartbeat` seconds is dead: its pending calls fail with ConnectionError and the tasks run
 * for it are cancelled; when it comes back, calls work again.
 */
import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import { ConnectionError, TimeoutError, ValueError } from "../asyncio/exceptions.js";
import { _get_running_loop } from "../asyncio/events.js";
import type { BaseEventLoop } from "../asyncio/base_events.js";
import { createFuture, runTask, RemoteCall, type BridgeFuture, type TaskHandle } from "./aio.js";
import { ContextVar, copy_context, type Context } from "../contextvars.js";
import { UnknownFunctionError } from "./errors.js";
import { checkArity } from "./arity.js";
import { checkEndpoint } from "./security.js";
import { later, MAX_TIMER_MS, type LongTimer } from "./timer.js";
import { rateLimited, type RateLimitedLog } from "./log.js";
import { startZap, type ZapHandler } from "./zap.js";
import type { InvokeOptions, PeerOptions, RegisterOptions } from "./options.js";
import type { ArgsOf, CallResult, FunctionNames, Implementation, IsUntyped, Registry, StreamItem, StreamNames, Untyped } from "./registry.js";
export type { CurveOptions, InvokeOptions, PeerOptions, RegisterOptions } from "./options.js";
import { RemoteStream, Producer } from "./stream.js";
import * as wire from "./wire.js";
import { CALL, CANCEL, END, ERROR, HEARTBEAT, ITEM, PULL, RESULT, STREAM } from "./wire.js";


type Fn = (...args: any[]) => unknown;

/** In a served call's context: the peer and remote it came from, so the calls it makes go back there. */
const serving = new ContextVar<[Peer, Remote] | null>("tulip.bridge.serving", { default: null });

/** One peer on the other end: routing identity, session, liveness, the calls run for it. */
export class Remote {
  session: string | null = null;
  lastSeen = performance.now();
  /** The other side's heartbeat (s), from its HEARTBEAT frames; it is dead after max(ours, theirs). */
  heartbeat = 0;
  readonly served = new Map<number, TaskHandle | Producer>();
  /** Our calls and streams in flight on it (what fan-out balances). */
  inFlight = 0;
  /** The names it registered as idempotent (from its HEARTBEAT): a call to one may be retried elsewhere. */
  idempotent: ReadonlySet<string> = NO_NAMES;
  constructor(readonly identity: Buffer | null) {}
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** A connected peer as a bound peer's `workers()` lists it. */
export interface WorkerInfo {
  /** Its ZeroMQ routing id, hex. */
  id: string;
  /**
   * Its CURVE public key (z85), when the bound peer admits only `authorizedKeys`: the routing id
   * a tulip peer connecting with CURVE takes (its own public key), checked to be an authorized key.
   */
  key: string | null;
  session: string;
  /** Our calls and streams in flight on it. */
  inFlight: number;
}

/** The calls in flight, keeping each remote's count of them (fan-out picks the least busy). */
class PendingMap extends Map<number, Pending> {
  override set(id: number, p: Pending): this {
    const old = super.get(id);
    if (old !== p) {
      if (old) old.remote.inFlight--;
      p.remote.inFlight++;
    }
    return super.set(id, p);
  }
  override delete(id: number): boolean {
    const p = super.get(id);
    if (p === undefined) return false;
    p.remote.inFlight--;
    return super.delete(id);
  }
}

/** What a call needs to be sent again if the worker that took it dies (`invoke`'s `retry`). */
interface Retry {
  name: string;
  args: unknown[];
  kwargs: Record<string, unknown> | null;
  /** The original deadline (performance.now() ms), or null. */
  deadline: number | null;
  left: number;
}

interface Entry {
  remote: Remote;
  data: Buffer;
  state: "queued" | "sent" | "dropped";
}

interface Pending {
  remote: Remote;
  sentAt: number;
  fut: BridgeFuture<unknown> | null;
  stream: RemoteStream | null;
  timer: LongTimer | null;
  entry: Entry;
  retry?: Retry;
}

/**
 * `Peer<Remote, Local>`: `Remote` describes the other side's functions (see registry.ts), so
 * that `call`, `invoke` and `stream` check names and arguments and infer results; `Local`
 * describes this side's, so that `register` checks them. Both default to {@link Untyped}.
 */
export class Peer<R extends Registry = Untyped, L extends Registry = Untyped> {
  readonly session = randomUUID().replace(/-/g, "");
  readonly heartbeat: number;
  readonly maxMessageSize: number;
  readonly streamWindow: number;
  /** The endpoint bound or connected to (with the real port after binding port 0). */
  endpoint = "";
  /** @internal */ readonly _pending: Map<number, Pending> = new PendingMap();
  private readonly functions = new Map<string, Fn>();
  private readonly idempotentNames = new Set<string>();
  private readonly remotes = new Map<string, Remote>();
  private current: Remote | null;
  /** A bound peer's greeted, live remotes, in the order they greeted (fan-out's workers). */
  private readonly live: Remote[] = [];
  private readonly fanout: boolean;
  private rr = 0;
  private readonly authorized: ReadonlySet<string> | null;
  private connectedWaiters: Array<() => void> = [];
  private nextId = 1;
  private queue: Entry[] = [];
  private sending = false;
  private hbEntry: Entry | null = null;
  private closed = false;
  private closing = false;
  private timer: NodeJS.Timeout;
  private readonly log: RateLimitedLog;
  private readonly ownLoop: BaseEventLoop | null;
  private zap: ZapHandler | null = null;

  private constructor(private readonly sock: zmq.Dealer | zmq.Router, private readonly bound: boolean, opts: PeerOptions) {
    this.heartbeat = opts.heartbeat ?? 5;
    this.maxMessageSize = opts.maxMessageSize ?? 16 * 1024 * 1024;
    this.streamWindow = Math.max(1, opts.streamWindow ?? 16);
    this.log = rateLimited(opts.log ?? ((m) => console.warn(m)));
    this.ownLoop = opts.loop ?? _get_running_loop();
    this.fanout = bound && !!opts.fanout;
    this.authorized = bound && opts.curve?.authorizedKeys ? new Set(opts.curve.authorizedKeys) : null;
    this.current = bound ? null : this.remoteFor(null);
    this.timer = setInterval(() => this.beat(), Math.min((this.heartbeat * 1000) / 3, MAX_TIMER_MS));
    this.timer.unref();
    // A closed connection fails what was in flight on it at once, not a heartbeat later: a
    // DEALER hears it from ZeroMQ's socket monitor, a ROUTER from an empty message in the
    // remote's name (ZMQ_ROUTER_NOTIFY, see handle()).
    if (!bound) {
      sock.events.on("disconnect", () => this.disconnected());
      sock.events.on("connect", () => this.sendHeartbeat(this.current!)); // (re)connected: say hello at once
    }
    void this.receiveLoop();
  }

  /** A ROUTER peer bound to `endpoint` (loopback unless `allowRemote`). */
  static async bind<R extends Registry = Untyped, L extends Registry = Untyped>(endpoint: string, opts: PeerOptions = {}): Promise<Peer<R, L>> {
    checkEndpoint(endpoint, opts.allowRemote ?? false);
    let zap: ZapHandler | null = null;
    let context: zmq.Context | undefined;
    if (opts.curve?.authorizedKeys) {
      context = new zmq.Context(); // its own: a context has one ZAP endpoint
      zap = await startZap(context, "tulip", opts.curve.authorizedKeys);
    }
    // No handover: a second connection claiming a connected peer's routing id is refused, not given its traffic.
    const sock = new zmq.Router({ linger: 0, ...(context ? { context } : {}) });
    if (opts.curve) {
      Object.assign(sock, { curveServer: true, curveSecretKey: opts.curve.secretKey, curvePublicKey: opts.curve.publicKey });
      if (zap) sock.zapDomain = "tulip";
    }
    sock.maxMessageSize = hardLimit(opts);
    // ZMQ_ROUTER_NOTIFY (97) = ZMQ_NOTIFY_DISCONNECT (2): an empty message from each peer whose connection closes.
    (sock as unknown as { setInt32Option(o: number, v: number): void }).setInt32Option(97, 2);
    await sock.bind(endpoint);
    const peer = new Peer<R, L>(sock, true, opts);
    peer.endpoint = sock.lastEndpoint ?? endpoint;
    peer.zap = zap;
    return peer;
  }

  /** A DEALER peer connected to `endpoint`; it reconnects by itself if the other side restarts. */
  static async connect<R extends Registry = Untyped, L extends Registry = Untyped>(endpoint: string, opts: PeerOptions = {}): Promise<Peer<R, L>> {
    checkEndpoint(endpoint, opts.allowRemote ?? false);
    const hb = opts.heartbeat ?? 5;
    // `immediate`: ZeroMQ queues nothing for a connection that is not up; our own queue keeps
    // frames, so a call that failed meanwhile is never sent later. The send timeout lets the
    // queue look again at a frame it is stuck on.
    const sock = new zmq.Dealer({
      linger: 0, immediate: true, reconnectInterval: 100, reconnectMaxInterval: Math.min(1000, hb * 250),
      sendTimeout: Math.max(10, Math.min(250, (hb * 1000) / 3)),
    });
    if (opts.curve) {
      if (!opts.curve.serverKey) throw new TypeError("curve.serverKey is needed to connect");
      Object.assign(sock, { curveServerKey: opts.curve.serverKey, curveSecretKey: opts.curve.secretKey, curvePublicKey: opts.curve.publicKey });
      // Known by its key: a bound peer that admits only authorized keys lists it under this.
      sock.routingId = opts.curve.publicKey;
    }
    sock.maxMessageSize = hardLimit(opts);
    sock.connect(endpoint);
    const peer = new Peer<R, L>(sock, false, opts);
    peer.endpoint = endpoint;
    peer.sendHeartbeat(peer.current!); // say hello at once
    return peer;
  }

  // ------------------------------------------------------------------ serving

  /**
   * Exposes `fn` (an async function, a plain function or an async generator function)
   * under `name`. A call with more arguments than its parameter list names (when it has no
   * rest parameter) is refused with TypeError; missing ones are `undefined`, as in JavaScript.
   */
  register<K extends FunctionNames<L>>(name: K, fn: Implementation<L[K]>, options?: RegisterOptions): this;
  register(name: string, fn: Fn, { idempotent = false }: RegisterOptions = {}): this {
    this.functions.set(name, fn);
    const had = this.idempotentNames.has(name);
    if (idempotent) this.idempotentNames.add(name);
    else this.idempotentNames.delete(name);
    if (had !== idempotent && !this.closed) for (const r of this.remotes.values()) this.sendHeartbeat(r, true); // tell them now
    return this;
  }

  // ------------------------------------------------------------------ calling

  /**
   * Calls the remote function `name` with positional arguments: a lazy coroutine, as Python's
   * `peer.call` is. Nothing is sent until it is awaited or a task runs it
   * (`asyncio.create_task(peer.call(…))`, `gather`, `wait_for`, `shield`, a TaskGroup); then
   * it is `invoke(name, { args })`, on the loop it runs on. `invoke` returns the Future at once.
   */
  call<K extends FunctionNames<R>>(name: K, ...args: ArgsOf<R[K]>): RemoteCall<CallResult<R[K]>>;
  /** The same on a peer without a registry, the result type said at the call: `peer.call<number>("add", 1, 2)`. */
  call<T = any>(name: IsUntyped<R> extends true ? string : never, ...args: unknown[]): RemoteCall<T>;
  call(name: string, ...args: unknown[]): RemoteCall<unknown> {
    return new RemoteCall<unknown>(() => (this as Peer).invoke(name, { args }));
  }

  /**
   * Calls `name(*args, **kwargs)` remotely; returns a Future of the result. Cancelling it
   * (or the task awaiting it) cancels the remote task.
   */
  invoke<K extends FunctionNames<R>>(name: K, options?: InvokeOptions<Partial<ArgsOf<R[K]>>>): BridgeFuture<CallResult<R[K]>>;
  invoke<T = any>(name: IsUntyped<R> extends true ? string : never, options?: InvokeOptions): BridgeFuture<T>;
  invoke(name: string, { args = [], kwargs, timeout, retry = 0 }: InvokeOptions = {}): BridgeFuture<unknown> {
    const fut = createFuture<unknown>(this._loop());
    const kw = kwargs && Object.keys(kwargs).length > 0 ? kwargs : null;
    if (timeout !== undefined && timeout !== null && (typeof timeout !== "number" || !(timeout >= 0))) {
      fut.set_exception(typeof timeout !== "number"
        ? new TypeError(`timeout must be a number of seconds, not ${typeof timeout}`)
        : new ValueError(`timeout must be >= 0, not ${timeout}`));
    } else if (typeof retry !== "number" || !Number.isInteger(retry) || retry < 0) {
      fut.set_exception(typeof retry !== "number" ? new TypeError(`retry must be an int, not ${typeof retry}`) : new ValueError(`retry must be an int >= 0, not ${retry}`));
    } else if (this.closed) {
      fut.set_exception(new ConnectionError("peer closed"));
    } else {
      const t = timeout ?? null;
      const again = retry > 0 ? { name, args, kwargs: kw, deadline: t === null ? null : performance.now() + t * 1000, left: retry } : undefined;
      this.route(fut as BridgeFuture<unknown>, name, args, kw, t, again);
    }
    return fut;
  }

  /**
   * Sends a call where it goes: back to the peer whose call made it (on a bound peer), else to
   * this peer's own target — the one it is connected to, the first live peer of a bound one, or
   * with `fanout` the live peer with the fewest of our calls in flight (ties round-robin).
   */
  private route(fut: BridgeFuture<unknown>, name: string, args: unknown[], kw: Record<string, unknown> | null,
                timeout: number | null, retry: Retry | undefined): void {
    const caller = this.callerRemote();
    if (caller) {
      if (caller.session === null) fut.set_exception(new ConnectionError("the peer whose call made this one is gone"));
      else this.startCall(fut, this.nextId++, caller, name, args, kw, timeout, undefined);
      return;
    }
    const target = this.ownTarget();
    if (target !== null) return this.startCall(fut, this.nextId++, target, name, args, kw, timeout, retry);
    // A bound peer no one (live) has greeted yet: wait for one, up to a heartbeat.
    const waitedFrom = performance.now();
    this.waitForPeer(this.heartbeat).then(
      () => {
        if (fut.done()) return;
        const t = this.ownTarget();
        if (t === null) return fut.set_exception(new ConnectionError(`no peer connected to ${this.endpoint}`));
        const left = timeout === null ? null : timeout - (performance.now() - waitedFrom) / 1000;
        if (left !== null && left <= 0) return fut.set_exception(new TimeoutError(`remote call timed out after ${timeout}s`));
        this.startCall(fut, this.nextId++, t, name, args, kw, left, retry);
      },
      (e) => !fut.done() && fut.set_exception(e),
    );
  }

  /** The peer this one's own calls go to now (see route); null if there is none yet. */
  private ownTarget(): Remote | null {
    if (!this.fanout) return this.current;
    const live = this.live;
    const n = live.length;
    if (n <= 1) return n === 1 ? live[0] : null;
    let best = 0;
    let min = Infinity;
    for (let i = 0; i < n; i++) {
      const k = (this.rr + i) % n;
      if (live[k].inFlight < min) {
        min = live[k].inFlight;
        best = k;
      }
    }
    this.rr = (best + 1) % n;
    return live[best];
  }

  /**
   * A bound peer's live connected peers (fan-out's workers), in the order they greeted; with
   * `authorizedKeys`, each known by its key. Empty on a connected peer.
   */
  workers(): WorkerInfo[] {
    return this.live.map((r) => ({ id: r.identity!.toString("hex"), key: this.keyOf(r), session: r.session!, inFlight: r.inFlight }));
  }

  private keyOf(r: Remote): string | null {
    if (this.authorized === null || r.identity === null || r.identity.length !== 40) return null;
    const k = r.identity.toString("latin1");
    return this.authorized.has(k) ? k : null;
  }

  private startCall(fut: BridgeFuture<unknown>, id: number, remote: Remote, name: string, args: unknown[],
                    kwargs: Record<string, unknown> | null, timeout: number | null, retry: Retry | undefined): void {
    let data: Buffer;
    try {
      data = wire.encodeFrame(CALL, id, name, args, kwargs, timeout, remote.session);
      this.checkSize(data);
    } catch (e) {
      fut.set_exception(e);
      return;
    }
    const p: Pending = { remote, sentAt: performance.now(), fut, stream: null, timer: null, entry: this.send(remote, data), retry };
    this._pending.set(id, p);
    if (timeout !== null) {
      p.timer = later(timeout, () => {
        if (this._pending.get(id) === p && !fut.done()) {
          fut.set_exception(new TimeoutError(`remote call timed out after ${timeout}s`));
          this._sendCancel(p, id, "timeout");
        }
      });
    }
    fut.add_done_callback((f) => {
      if (this._pending.get(id) !== p) return;
      this._pending.delete(id);
      p.timer?.clear();
      if (f.cancelled()) this._sendCancel(p, id, null);
    });
  }

  /** @internal */
  _sendCancel(p: Pending, id: number, msg: string | null): void {
    if (p.entry.state === "queued") {
      p.entry.state = "dropped"; // never left our queue: just drop it
      return;
    }
    this.send(p.remote, wire.encodeFrame(CANCEL, id, msg));
  }

  /**
   * Iterates the remote async generator `name(...args)`: `for await (const x of peer.stream(...))`.
   * At most `streamWindow` items are in flight; leaving the loop early closes the remote generator.
   */
  stream<K extends StreamNames<R>>(name: K, ...args: ArgsOf<R[K]>): RemoteStream<StreamItem<R[K]>>;
  stream<T = any>(name: IsUntyped<R> extends true ? string : never, ...args: unknown[]): RemoteStream<T>;
  stream(name: string, ...args: unknown[]): RemoteStream<unknown> {
    return new RemoteStream(this as Peer, name, args, null);
  }

  /** The same with keyword arguments: `peer.streamWith("rows", { args: ["q"], kwargs: { limit: 5 } })`. */
  streamWith<K extends StreamNames<R>>(name: K, options?: InvokeOptions<Partial<ArgsOf<R[K]>>>): RemoteStream<StreamItem<R[K]>>;
  streamWith<T = any>(name: IsUntyped<R> extends true ? string : never, options?: InvokeOptions): RemoteStream<T>;
  streamWith(name: string, { args = [], kwargs }: InvokeOptions = {}): RemoteStream<unknown> {
    return new RemoteStream(this as Peer, name, args, kwargs && Object.keys(kwargs).length > 0 ? kwargs : null);
  }

  /** @internal Opens a stream: returns its id and remote. */
  async _openStream(stream: RemoteStream, name: string, args: unknown[], kwargs: Record<string, unknown> | null): Promise<number> {
    if (this.closed) throw new ConnectionError("peer closed");
    let remote = this.callerRemote();
    if (remote?.session === null) throw new ConnectionError("the peer whose call made this one is gone");
    if (!remote && this.ownTarget() === null) await this.waitForPeer(this.heartbeat);
    remote ??= this.ownTarget() ?? undefined;
    if (!remote) throw new ConnectionError(`no peer connected to ${this.endpoint}`);
    const id = this.nextId++;
    const data = wire.encodeFrame(STREAM, id, name, args, kwargs, this.streamWindow, remote.session);
    this.checkSize(data);
    this._pending.set(id, { remote, sentAt: performance.now(), fut: null, stream, timer: null, entry: this.send(remote, data) });
    return id;
  }

  /** @internal */
  _pull(id: number, n: number): void {
    const p = this._pending.get(id);
    if (p) this.send(p.remote, wire.encodeFrame(PULL, id, n));
  }

  /** @internal Closes a stream early (sends CANCEL so the remote generator closes). */
  _closeStream(id: number): void {
    const p = this._pending.get(id);
    if (!p) return;
    this._pending.delete(id);
    if (!this.closed) this._sendCancel(p, id, "stream closed");
  }

  /** Resolves once a peer has greeted this one (rejects with ConnectionError after `timeout` s). */
  waitForPeer(timeout = this.heartbeat): Promise<void> {
    if (this.current?.session) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = later(timeout, () => {
        this.connectedWaiters = this.connectedWaiters.filter((w) => w !== done);
        reject(new ConnectionError(`no peer connected to ${this.endpoint} within ${timeout}s`));
      });
      const done = () => {
        t.clear();
        resolve();
      };
      this.connectedWaiters.push(done);
    });
  }

  /**
   * A bound peer's calls made while serving a call (in its task, on a tulip loop) go back to
   * the peer that made it, never to another client.
   */
  private callerRemote(): Remote | undefined {
    if (!this.bound) return undefined;
    const s = serving.get();
    return s !== null && s[0] === this ? s[1] : undefined;
  }

  /** A context for the tasks run for `remote` (on a bound peer: what callerRemote reads). */
  private servingContext(remote: Remote): Context | undefined {
    if (!this.bound) return undefined;
    const ctx = copy_context();
    ctx.run(() => serving.set([this, remote]));
    return ctx;
  }

  /** @internal The tulip loop calls and tasks go to now, or null (plain Node). */
  _loop(): BaseEventLoop | null {
    const l = this.ownLoop && !this.ownLoop.is_closed() ? this.ownLoop : null;
    return l ?? _get_running_loop();
  }

  // ------------------------------------------------------------------ sending

  /**
   * Queues one frame for `remote`. One send is in flight at a time (zeromq.js's rule); the
   * loop starts a microtask later, so frames queued together leave together in one message.
   */
  private send(remote: Remote, data: Buffer): Entry {
    const entry: Entry = { remote, data, state: "queued" };
    this.queue.push(entry);
    if (!this.sending) {
      this.sending = true;
      queueMicrotask(() => void this.sendLoop());
    }
    return entry;
  }

  private async sendLoop(): Promise<void> {
    const q = this.queue;
    try {
      while (q.length > 0 && !this.closed) {
        const first = q[0];
        if (first.state === "dropped") {
          q.shift();
          continue;
        }
        // This peer's next frames, up to a batch (dropped ones stay out).
        let n = 1;
        let size = first.data.length;
        const parts = [first.data];
        while (n < q.length && parts.length < wire.BATCH_FRAMES) {
          const e = q[n];
          if (e.remote !== first.remote || size + e.data.length > wire.BATCH_BYTES) break;
          n++;
          if (e.state === "dropped") continue;
          parts.push(e.data);
          size += e.data.length;
        }
        const body = parts.length === 1 ? first.data : Buffer.concat(parts, size);
        try {
          if (DEBUG) console.error(`[${Math.round(performance.now())}] send ${parts.length} frame(s)`, body.subarray(0, 3));
          await this.sock.send(this.bound ? [first.remote.identity!, body] : body);
        } catch (e) {
          if (this.closed) return;
          if ((e as { code?: string }).code === "EAGAIN") continue; // no connection yet: look again
          this.log(`tulip bridge: send failed: ${(e as Error).message}`);
        }
        for (let i = 0; i < n; i++) if (q[i].state === "queued") q[i].state = "sent";
        q.splice(0, n);
      }
    } finally {
      this.sending = false;
    }
  }

  private checkSize(data: Buffer): void {
    if (data.length > this.maxMessageSize) {
      throw new RangeError(`message of ${data.length} bytes exceeds the limit of ${this.maxMessageSize}`);
    }
  }

  /** @internal Sends RESULT/ERROR/ITEM; an unencodable or oversized value is reported instead. */
  _reply(remote: Remote, kind: number, id: number, value: unknown): void {
    let data: Buffer;
    try {
      data = wire.encodeFrame(kind, id, value);
      this.checkSize(data);
    } catch (e) {
      data = wire.encodeFrame(ERROR, id, e instanceof Error ? e : new TypeError(String(e)));
    }
    this.send(remote, data);
  }

  /** @internal */
  _sendEnd(remote: Remote, id: number): void {
    this.send(remote, wire.encodeFrame(END, id));
  }

  private sendHeartbeat(remote: Remote, news = false): void {
    const frame = this.idempotentNames.size === 0
      ? wire.encodeFrame(HEARTBEAT, 0, this.session, this.heartbeat)
      : wire.encodeFrame(HEARTBEAT, 0, this.session, this.heartbeat, [...this.idempotentNames]);
    if (!news && !this.bound && this.hbEntry?.state === "queued") return; // one is queued: do not pile them up
    const e = this.send(remote, frame);
    if (!this.bound) this.hbEntry = e;
  }

  // ------------------------------------------------------------------ receiving

  private async receiveLoop(): Promise<void> {
    while (!this.closed) {
      let frames: Buffer[];
      try {
        frames = await this.sock.receive();
      } catch (e) {
        if (this.closed) return;
        this.log(`tulip bridge: receive failed: ${(e as Error).message}`);
        continue;
      }
      if (DEBUG) console.error(`[${Math.round(performance.now())}] recv ${frames.at(-1)!.length} bytes`, frames.at(-1)!.subarray(0, 3));
      this.handle(frames);
    }
  }

  private handle(frames: Buffer[]): void {
    let remote: Remote;
    let body: Buffer;
    if (this.bound) {
      if (frames.length !== 2) return this.log(`tulip bridge: dropped a message of ${frames.length} parts after routing (want 1)`);
      const identity = frames[0];
      body = frames[1];
      if (body.length === 0) return this.dropRemote(identity.toString("latin1"), "connection closed"); // ROUTER_NOTIFY
      remote = this.remotes.get(identity.toString("latin1")) ?? this.remoteFor(identity);
    } else {
      if (frames.length !== 1) return this.log(`tulip bridge: dropped a message of ${frames.length} parts (want 1)`);
      body = frames[0];
      remote = this.remotes.get("")!;
    }
    remote.lastSeen = performance.now();
    for (const item of wire.decodeFrames(body)) {
      if (item instanceof wire.BadFrame) {
        this.refuse(remote, item.kind, item.id, item.replyAs, item.message);
        continue;
      }
      if (item instanceof wire.ProtocolError) {
        this.log(`tulip bridge: dropped the rest of a message: ${item.message}`);
        break;
      }
      const [value, size] = item;
      if (size > this.maxMessageSize) {
        const [kind, id] = wire.kindAndId(value);
        this.refuse(remote, kind, id, "RangeError", `message of ${size} bytes exceeds the limit of ${this.maxMessageSize}`);
        continue;
      }
      let frame: wire.Frame;
      try {
        frame = wire.checkFrame(value);
      } catch (e) {
        const [kind, id] = wire.kindAndId(value);
        this.refuse(remote, kind, id, (e as wire.ProtocolError).replyAs ?? "TypeError", (e as Error).message);
        continue;
      }
      try {
        this.dispatch(remote, frame);
      } catch (e) {
        this.log(`tulip bridge: error handling a ${wire.KIND_NAMES[frame[0]]} frame: ${(e as Error).stack}`);
      }
    }
  }

  /**
   * A frame that does not decode, is too large or is ill-typed: a call is answered with an
   * error naming what was wrong (its function never runs); a reply to one of our calls fails
   * that call; anything else is logged.
   */
  private refuse(remote: Remote, kind: number | null, id: number | null, type: "TypeError" | "ValueError" | "RangeError", why: string): void {
    const make = (m: string) => (type === "ValueError" ? new ValueError(m) : type === "RangeError" ? new RangeError(m) : new TypeError(m));
    if ((kind === CALL || kind === STREAM) && id !== null) {
      this.log(`tulip bridge: refused ${wire.KIND_NAMES[kind]} ${id}: ${why}`);
      return this._reply(remote, ERROR, id, make(`${wire.KIND_NAMES[kind]} ${id} refused: ${why}`));
    }
    const p = kind !== null && [RESULT, ERROR, ITEM, END].includes(kind) && id !== null ? this._pending.get(id) : undefined;
    if (p && p.remote === remote) {
      this.log(`tulip bridge: bad ${wire.KIND_NAMES[kind!]} for call ${id}: ${why}`);
      this.failPending(id!, p, make(`bad ${wire.KIND_NAMES[kind!]} frame for this call: ${why}`));
      this._sendCancel(p, id!, "bad reply");
      return;
    }
    this.log(`tulip bridge: dropped a malformed frame: ${why}`);
  }

  private remoteFor(identity: Buffer | null): Remote {
    const r = new Remote(identity);
    this.remotes.set(identity ? identity.toString("latin1") : "", r);
    return r;
  }

  private dispatch(remote: Remote, frame: wire.Frame): void {
    const [kind, id] = frame;
    switch (kind) {
      case HEARTBEAT:
        if (typeof frame[3] === "number" && frame[3] > 0 && frame[3] < 86400) remote.heartbeat = frame[3];
        remote.idempotent = frame.length === 5 ? new Set(frame[4] as string[]) : NO_NAMES;
        return this.greeted(remote, frame[2]);
      case CALL:
        return this.serveCall(remote, id, frame[2] as string, frame[3] as unknown[], frame[4] as Record<string, unknown> | null, frame[5], frame[6]);
      case STREAM:
        return this.serveStream(remote, id, frame[2] as string, frame[3] as unknown[], frame[4] as Record<string, unknown> | null, frame[5], frame[6]);
      case RESULT:
      case ERROR: {
        const p = this._pending.get(id);
        if (!p) return; // late: the call was cancelled, timed out or failed already
        if (p.remote !== remote) return this.log(`tulip bridge: dropped a ${wire.KIND_NAMES[kind]} for call ${id} from a peer it was not sent to`);
        if (p.stream) return p.stream._onFrame(kind, frame[2]);
        if (p.fut!.done()) return;
        if (kind === RESULT) p.fut!.set_result(frame[2]);
        else p.fut!.set_exception(frame[2] instanceof Error ? frame[2] : new Error(String(frame[2])));
        return;
      }
      case ITEM:
      case END: {
        const p = this._pending.get(id);
        if (p && p.remote !== remote) return this.log(`tulip bridge: dropped a ${wire.KIND_NAMES[kind]} for stream ${id} from a peer it was not sent to`);
        return p?.stream?._onFrame(kind, kind === ITEM ? frame[2] : null);
      }
      case CANCEL: {
        const task = remote.served.get(id);
        if (task) {
          remote.served.delete(id);
          task.cancel(frame[2] ?? undefined);
        }
        return;
      }
      case PULL: {
        const task = remote.served.get(id);
        if (task instanceof Producer && typeof frame[2] === "number" && frame[2] > 0) task.addCredit(frame[2]);
        return;
      }
    }
  }

  private greeted(remote: Remote, session: unknown): void {
    if (typeof session !== "string") return;
    if (remote.session !== session) {
      if (remote.session !== null) this.remoteDied(remote, `peer restarted (session ${remote.session.slice(0, 8)} ended)`);
      remote.session = session;
      if (this.bound) {
        this.sendHeartbeat(remote); // answer at once, so the caller learns our session
        if (this.authorized === null || this.keyOf(remote) !== null) this.live.push(remote);
      }
    }
    // Sticky: the bound peer's own calls stay with the first live peer; a newcomer's greeting
    // does not take them over.
    if (this.bound && this.current?.session == null) this.current = remote;
    const waiters = this.connectedWaiters;
    this.connectedWaiters = [];
    for (const w of waiters) w();
  }

  // ------------------------------------------------------------------ running calls

  private lookup(remote: Remote, id: number, name: string, session: unknown): Fn | null {
    if (session !== null && session !== this.session) {
      this._reply(remote, ERROR, id, new ConnectionError("call addressed to an earlier session of this peer; it did not run"));
      return null;
    }
    const fn = this.functions.get(name);
    if (!fn) {
      this._reply(remote, ERROR, id, new UnknownFunctionError(`no function registered as '${name}'`));
      return null;
    }
    if (remote.served.has(id)) {
      this.log(`tulip bridge: duplicate call id ${id} ignored (at most once)`);
      return null;
    }
    return fn;
  }

  private argsFor(fn: Fn, name: string, args: unknown[], kwargs: Record<string, unknown> | null): unknown[] {
    const all = kwargs ? [...args, kwargs] : args;
    checkArity(fn, name, all.length);
    return all;
  }

  private serveCall(remote: Remote, id: number, name: string, args: unknown[], kwargs: Record<string, unknown> | null,
                    timeout: unknown, session: unknown): void {
    const fn = this.lookup(remote, id, name, session);
    if (!fn) return;
    let all: unknown[];
    try {
      all = this.argsFor(fn, name, args, kwargs);
    } catch (e) {
      return this._reply(remote, ERROR, id, e);
    }
    let timedOut = false;
    let deadline: LongTimer | null = null;
    const task = runTask(this._loop(), () => fn(...all), this.servingContext(remote), (outcome) => {
      deadline?.clear();
      if (remote.served.get(id) === task) remote.served.delete(id);
      else if (!timedOut && outcome.ok === false && outcome.cancelled) return; // cancelled by the caller
      if (outcome.ok) this._reply(remote, RESULT, id, outcome.value);
      else if (timedOut && outcome.cancelled) this._reply(remote, ERROR, id, new TimeoutError("remote call timed out"));
      else this._reply(remote, ERROR, id, outcome.error);
    });
    remote.served.set(id, task);
    if (timeout !== null) {
      deadline = later(Number(timeout), () => {
        timedOut = true;
        remote.served.delete(id);
        task.cancel("timeout");
      });
    }
  }

  private serveStream(remote: Remote, id: number, name: string, args: unknown[], kwargs: Record<string, unknown> | null,
                      credit: unknown, session: unknown): void {
    const fn = this.lookup(remote, id, name, session);
    if (!fn) return;
    let it: AsyncIterator<unknown>;
    try {
      const made = fn(...this.argsFor(fn, name, args, kwargs)) as AsyncIterable<unknown>;
      if (!made || typeof made[Symbol.asyncIterator] !== "function") throw new TypeError(`'${name}' did not return an async iterable`);
      it = made[Symbol.asyncIterator]();
    } catch (e) {
      return this._reply(remote, ERROR, id, e);
    }
    const producer = new Producer(this, remote, id, it, credit as number);
    remote.served.set(id, producer);
    // On a tulip loop the producer is a Task, so a CANCEL interrupts the generator where it awaits.
    producer.task = runTask(this._loop(), () => producer.run(), this.servingContext(remote), () => {
      if (remote.served.get(id) === producer) remote.served.delete(id);
    });
  }

  // ------------------------------------------------------------------ liveness

  private beat(): void {
    const now = performance.now();
    for (const [key, remote] of this.remotes) {
      const limit = Math.max(this.heartbeat, remote.heartbeat);
      if (now - remote.lastSeen > limit * 1000) {
        // It was alive: everything for it fails now.
        if (remote.session !== null) this.remoteDied(remote, `no word from the peer for ${limit}s`);
        if (this.bound) {
          this.dropRemote(key, `no word from the peer for ${limit}s`);
          continue;
        }
        // Still nobody there: each call gets a full heartbeat from when it was sent.
        this.remoteDied(remote, `no answer from ${this.endpoint} within ${limit}s`, (p) => now - p.sentAt > limit * 1000);
      }
      this.sendHeartbeat(remote);
    }
  }

  /** A bound peer's remote is gone: fail and cancel what was for it, and forget it. */
  private dropRemote(key: string, why: string): void {
    const remote = this.remotes.get(key);
    if (!remote) return;
    if (remote.session !== null) this.remoteDied(remote, why);
    this.remotes.delete(key);
  }

  /** A connected peer's connection closed: what already left on it is lost. */
  private disconnected(): void {
    if (this.closed) return;
    const remote = this.current!;
    const why = `connection to ${this.endpoint} closed`;
    if (remote.session !== null) this.remoteDied(remote, why);
    else this.remoteDied(remote, why, (p) => p.entry.state !== "queued");
  }

  private failPending(id: number, p: Pending, error: Error): void {
    this._pending.delete(id);
    if (p.entry.state === "queued") p.entry.state = "dropped";
    p.timer?.clear();
    if (p.stream) p.stream._onFrame(ERROR, error);
    else if (!p.fut!.done()) p.fut!.set_exception(error);
  }

  private remoteDied(remote: Remote, why: string, only?: (p: Pending) => boolean): void {
    const again: Pending[] = [];
    for (const [id, p] of [...this._pending]) {
      if (p.remote !== remote || (only && !only(p))) continue;
      // Never run twice, unless the caller asked for a retry and the peer said it is idempotent.
      if (!only && p.retry && p.retry.left > 0 && remote.idempotent.has(p.retry.name) && p.fut && !p.fut.done() && !this.closing) {
        this._pending.delete(id);
        if (p.entry.state === "queued") p.entry.state = "dropped";
        p.timer?.clear();
        again.push(p);
        continue;
      }
      this.failPending(id, p, new ConnectionError(why));
    }
    if (only) return;
    const at = this.live.indexOf(remote);
    if (at >= 0) this.live.splice(at, 1);
    const served = [...remote.served.values()];
    remote.served.clear();
    for (const t of served) t.cancel();
    remote.session = null;
    remote.lastSeen = performance.now();
    if (this.bound && this.current === remote) {
      this.current = [...this.remotes.values()].find((r) => r !== remote && r.session !== null) ?? null;
    }
    for (const p of again) {
      const r = p.retry!;
      r.left--;
      const left = r.deadline === null ? null : (r.deadline - performance.now()) / 1000;
      if (left !== null && left <= 0) p.fut!.set_exception(new TimeoutError(`remote call timed out (${why}; not retried)`));
      else this.route(p.fut!, r.name, r.args, r.kwargs, left, r);
    }
  }

  /** Fails every pending call with ConnectionError, cancels served tasks, closes the socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    for (const remote of this.remotes.values()) this.remoteDied(remote, "peer closed");
    // Best effort, briefly: let the CANCELs for our calls still running over there leave.
    const deadline = performance.now() + 100;
    while (this.queue.some((e) => e.state === "queued") && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    this.closed = true;
    this.log.flush();
    clearInterval(this.timer);
    this.sock.close();
    this.zap?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

const DEBUG = !!process.env.TULIP_BRIDGE_DEBUG;

function hardLimit(opts: PeerOptions): number {
  // libzmq drops the connection past this; below it, ours answers an oversized call with an error.
  return Math.max(4 * (opts.maxMessageSize ?? 16 * 1024 * 1024), 1024 * 1024) + wire.BATCH_BYTES;
}
