// A hostile peer for the bridge tests: a raw ZeroMQ DEALER written in the test, sending
// whatever frames it likes (forged replies, wrong types, garbage) and reading what comes back.
import * as zmq from "zeromq";
import { decodeFrames, encodeFrame, HEARTBEAT, ProtocolError } from "../../bridge/wire.js";

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
