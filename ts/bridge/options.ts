/** The options of `Peer.bind` / `Peer.connect` and of a call. */
import type { BaseEventLoop } from "../asyncio/base_events.js";

export interface CurveOptions {
  /** This side's key pair (z85 text, as `zmq.curveKeyPair()` makes). */
  publicKey: string;
  secretKey: string;
  /** For `connect`: the bound side's public key. */
  serverKey?: string;
  /** For `bind`: admit only clients with these public keys (a ZAP handler checks them). */
  authorizedKeys?: string[];
}

export interface PeerOptions {
  /** Seconds of silence after which the other side is dead (pings go every third of it). Default 5. */
  heartbeat?: number;
  /** Largest frame sent or accepted, in bytes. Default 16 MiB. */
  maxMessageSize?: number;
  /** Stream items a producer may send ahead of the consumer. Default 16. */
  streamWindow?: number;
  /** Allow a non-loopback endpoint. Default false. */
  allowRemote?: boolean;
  /** CURVE encryption (and, on `connect`, authentication of the server). */
  curve?: CurveOptions;
  /**
   * The tulip loop whose Futures calls return and whose Tasks run served functions. Default:
   * the loop running when the peer is made, else the one running at each call, else none
   * (plain Node: loop-free Futures, promise-run functions; see `aio.ts`).
   */
  loop?: BaseEventLoop | null;
  /**
   * A bound peer: spread its own calls (not the callbacks it makes while serving one, which go
   * back to their caller) over every live connected peer — the one with the fewest of our calls
   * and streams in flight, ties round-robin — instead of sending them all to the first that
   * greeted. Each call stays with the peer that took it (its cancel, deadline, stream credit);
   * peers join and leave at any time; a dead peer's calls fail with ConnectionError (see
   * `retry`). With `curve.authorizedKeys`, only peers known by their key take calls. Default false.
   */
  fanout?: boolean;
  /** Where log lines go (dropped frames and the like), at most 10 a second, then a count of the rest. Default `console.warn`. */
  log?: (message: string) => void;
}

export interface InvokeOptions<A extends readonly unknown[] = unknown[]> {
  args?: A;
  kwargs?: Record<string, unknown>;
  /** Seconds; the remote cancels its task when it passes and the call fails with TimeoutError. */
  timeout?: number;
  /**
   * If the peer that took the call dies before answering (its connection closed, it went
   * silent, it restarted) and it registered `name` as idempotent, send the call again — to
   * another worker of a `fanout` peer, or to the same peer once it is back — up to this many
   * times, within the original `timeout`. Otherwise (the default, 0) the call fails with
   * ConnectionError and never runs twice.
   */
  retry?: number;
}

export interface RegisterOptions {
  /**
   * Running it twice for one call does no harm: callers that ask for `retry` may send a call
   * again to another peer if this one dies while running it. Told to the other side in each
   * HEARTBEAT. Default false.
   */
  idempotent?: boolean;
}
