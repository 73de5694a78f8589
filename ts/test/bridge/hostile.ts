// A hostile peer for the bridge tests: a raw ZeroMQ DEALER written in the test, sending
// whatever frames it likes (forged replies, wrong types, garbage) and reading what comes back.
import * as zmq from "zeromq";
import { decodeFrames, encodeFrame, HEARTBEAT, ProtocolError } from "../../bridge/wire.js";
import { encode } from "../../bridge/codec.js";

export type RawFrame = unknown[];

export class RawPeer {
  readonly sock: zmq.Dealer;
  /** Every frame received, in order (undecodable messages appear as ProtocolError). */
  readonly got: Array<RawFrame | ProtocolError> = [];
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(endpoint: string, opts: Partial<zmq.Dealer> = {}) {
    this.sock = new zmq.Dealer({ linger: 0, ...opts });
    this.sock.connect(endpoint);
    void this.receiveLoop();
  }

  private async receiveLoop(): Promise<void> {
    while (!this.closed) {
      let msg: Buffer[];
      try {
        msg = await this.sock.receive();
      } catch {
        return;
      }
      for (const f of decodeFrames(msg.at(-1)!)) this.got.push(f instanceof ProtocolError ? f : (f[0] as RawFrame));
      for (const w of this.waiters.splice(0)) w();
    }
  }

  /** Sends frames (each `[kind, id, ...]`), batched in one message as a peer would. */
  async send(...frames: RawFrame[]): Promise<void> {
    await this.sock.send(Buffer.concat(frames.map((f) => encodeFrame(...f))));
  }

  async sendBytes(...parts: Buffer[]): Promise<void> {
    await this.sock.send(parts);
  }

  /** Says hello, as a peer does: the bound side then counts this socket as its peer. */
  async greet(session = `hostile${Math.random().toString(36).slice(2)}`, heartbeat = 5): Promise<void> {
    await this.send([HEARTBEAT, 0, session, heartbeat]);
  }

  /** The first frame (received so far or later) for which `pred` holds; a safety-net timeout. */
  async next(pred: (f: RawFrame) => boolean, timeout = 10): Promise<RawFrame> {
    const deadline = Date.now() + timeout * 1000;
    for (;;) {
      const hit = this.got.find((f) => !(f instanceof ProtocolError) && pred(f as RawFrame));
      if (hit) return hit as RawFrame;
      if (Date.now() > deadline) throw new Error(`frame not seen; got ${this.got.map((f) => JSON.stringify(f, replacer)).join(" ")}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now() + 1);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  /** The reply (RESULT 3 or ERROR 4) to our call `id`. */
  reply(id: number, timeout = 10): Promise<RawFrame> {
    return this.next((f) => (f[0] === 3 || f[0] === 4) && f[1] === id, timeout);
  }

  close(): void {
    this.closed = true;
    this.sock.close();
  }
}

function replacer(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? String(v) : v instanceof Error ? `${v.name}: ${v.message}` : v;
}

/** An Error that travels as the exception type `name` (what a hostile peer may claim). */
export function wireError(name: string, message = "from a hostile peer"): Error {
  const e = new Error(message);
  e.name = name;
  e.stack = "";
  return e;
}

/** A CALL frame built by hand around `args`, given as raw msgpack bytes (which need not decode). */
export function rawCall(id: number, name: string, args: Buffer, trailer = Buffer.from([0xc0, 0xc0, 0xc0])): Buffer {
  return Buffer.concat([Buffer.from([0x97, 0x01]), encode(id), encode(name), args, trailer]);
}

/**
 * Ill-typed and undecodable calls (rows 8, 9), each as a message's bytes, with the error type
 * and message the peer must answer with. `add(a, b)` would answer if it ran.
 */
export function badCalls(): Array<{ what: string; id: number; bytes: Buffer; type: string; match: RegExp }> {
  const call = (id: number, ...rest: unknown[]) => encodeFrame(1, id, ...rest);
  return [
    { what: "timeout \"1\"", id: 11, bytes: call(11, "add", [1, 2], null, "1", null), type: "TypeError", match: /timeout must be a number/ },
    { what: "timeout -1", id: 12, bytes: call(12, "add", [1, 2], null, -1, null), type: "ValueError", match: /timeout must be >= 0/ },
    { what: "args as a map", id: 13, bytes: call(13, "add", { a: 1 }, null, null, null), type: "TypeError", match: /args must be an array, not map/ },
    { what: "kwargs as an array", id: 14, bytes: call(14, "add", [1, 2], [3], null, null), type: "TypeError", match: /kwargs must be a map/ },
    { what: "name as an int", id: 15, bytes: call(15, 5, [1, 2], null, null, null), type: "TypeError", match: /function name must be a str/ },
    { what: "session as an int", id: 16, bytes: call(16, "add", [1, 2], null, null, 5), type: "TypeError", match: /session must be a str/ },
    { what: "STREAM credit \"x\"", id: 17, bytes: encodeFrame(2, 17, "count", [3], null, "x", null), type: "TypeError", match: /credit must be an int/ },
    { what: "an unknown ext code", id: 18, bytes: rawCall(18, "add", Buffer.from([0x92, 0xd4, 42, 0, 1])), type: "ValueError", match: /extension.*42/i },
    { what: "100k-deep nesting", id: 19, bytes: rawCall(19, "add", Buffer.concat([Buffer.alloc(100_001, 0x91), Buffer.from([1])])), type: "ValueError", match: /nested \d+ levels deep/ },
    { what: "a truncated call", id: 20, bytes: call(20, "add", [1, 2], null, null, null).subarray(0, 8), type: "ValueError", match: /truncated/ },
    { what: "a 6-field CALL", id: 21, bytes: encodeFrame(1, 21, "add", [1, 2], null, null), type: "TypeError", match: /wrong length/ },
  ];
}
