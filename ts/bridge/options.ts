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
  /** Where log lines go (dropped frames and the like), at most 10 a second, then a count of the rest. Default `console.warn`. */
  log?: (message: string) => void;
}

export interface InvokeOptions<A extends readonly unknown[] = unknown[]> {
  args?: A;
  kwargs?: Record<string, unknown>;
  /** Seconds; the remote cancels its task when it passes and the call fails with TimeoutError. */
  timeout?: number;
}
