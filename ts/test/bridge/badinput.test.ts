// Bad input: malformed frames, random bytes, truncated frames, oversized messages. Each gets
// an error reply or a logged drop, and the peer keeps serving.
import { randomBytes } from "node:crypto";
import * as zmq from "zeromq";
import { Peer } from "../../bridge/index.js";
import { UnknownFunctionError } from "../../bridge/errors.js";
import { encodeFrame, decodeFrames, CALL, ERROR, ProtocolError } from "../../bridge/wire.js";
import { encode } from "../../bridge/codec.js";
import { startPython, type PyPeer } from "./helpers.js";

// A deterministic PRNG, so a failing fuzz case can be replayed.
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

function garbage(seed: number): Buffer[][] {
  const r = rng(seed);
  const out: Buffer[][] = [];
  for (let i = 0; i < 300; i++) out.push([randomBytes(Math.floor(r() * 200))]);
  const call = encodeFrame(CALL, 7, "add", [1, 2], { scale: 3 }, 1.5, null);
  for (let n = 0; n < call.length; n++) out.push([call.subarray(0, n)]); // every truncation
  for (let i = 0; i < 100; i++) { // valid frames with bytes flipped
    const b = Buffer.from(call);
    b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
    out.push([b]);
  }
  const shapes: unknown[] = [[], [1], "str", { a: 1 }, [99, 1], [1, -1, "add", [], null, null, null], [1, 1, 5, [], null, null, null],
    [1, 1, "add", "notalist", null, null, null], [1, 1, "add", [], [1], null, null], [3, 2 ** 40, 1], [8, 1, "x"], [9, 0, 5, "x"],
    [2, 1, "count", [3], null, -5, null], [5, 99999, null], [1, 1.5, "add", [], null, null, null]];
  for (const s of shapes) out.push([encode(s)]);
  out.push([Buffer.alloc(0)], [Buffer.from("a"), Buffer.from("b"), Buffer.from("c")]); // empty and multi-part
  return out;
}

/** The frames of each reply message (a message may carry several). */
const framesOf = (msg: Buffer[]) => decodeFrames(msg[0]).map((f) => (f instanceof ProtocolError ? [] : (f[0] as unknown[])));

async function fuzz(endpoint: string, seed: number): Promise<unknown[][]> {
  const raw = new zmq.Dealer({ linger: 0 });
  raw.connect(endpoint);
  const replies: unknown[][] = [];
  try {
    for (const msg of garbage(seed)) await raw.send(msg);
    // A CALL to an unknown name from the raw socket must get an error reply.
    await raw.send([encodeFrame(CALL, 424242, "no.such", [], null, null, null)]);
    raw.receiveTimeout = 5000;
    while (!replies.some((f) => f[1] === 424242)) replies.push(...framesOf(await raw.receive()));
  } finally {
    raw.close();
  }
  return replies;
}

describe("a Python peer under fuzz", () => {
  let py: PyPeer;
  beforeAll(async () => {
    py = await startPython(["--bind", "tcp://127.0.0.1:0", "--max-message-size", "4096"]);
  });
  afterAll(async () => py.stop());

  test("random bytes, truncated and corrupted frames, bad shapes: the peer keeps serving", async () => {
    const replies = await fuzz(py.endpoint, 1);
    const last = replies.find((f) => f[1] === 424242)!;
    expect(last[0]).toBe(ERROR);
    expect(last[2]).toBeInstanceOf(UnknownFunctionError);
    const peer = await Peer.connect(py.endpoint, { log: () => {} });
    try {
      expect(await peer.call("add", 2, 3)).toBe(5);
      // oversized: an error reply naming the limit, then normal service
      await expect(peer.call("echo", "x".repeat(10000))).rejects.toThrow(/exceeds the limit of 4096/);
      expect(await peer.call("add", 1, 1)).toBe(2);
      expect(py.proc.exitCode).toBeNull();
    } finally {
      await peer.close();
    }
  });
});

describe("a TS peer under fuzz", () => {
  test("random bytes, truncated and corrupted frames, bad shapes: the peer keeps serving", async () => {
    const logged: string[] = [];
    const peer = await Peer.bind("tcp://127.0.0.1:0", { maxMessageSize: 4096, log: (m) => logged.push(m) });
    peer.register("add", (a: number, b: number) => a + b);
    const client = await Peer.connect(peer.endpoint, { log: () => {} });
    try {
      const replies = await fuzz(peer.endpoint, 2);
      expect(replies.find((f) => f[1] === 424242)![2]).toBeInstanceOf(UnknownFunctionError);
      expect(logged.some((m) => /dropped a malformed frame/.test(m))).toBe(true);
      expect(await client.call("add", 2, 3)).toBe(5);
      await expect(client.call("add", "x".repeat(10000), 1)).rejects.toThrow(/exceeds the limit of 4096/);
      expect(await client.call("add", 1, 1)).toBe(2);
    } finally {
      await client.close();
      await peer.close();
    }
  });

  test("a message carrying several frames answers each, even a truncated tail", async () => {
    const peer = await Peer.bind("tcp://127.0.0.1:0", { log: () => {} });
    peer.register("add", (a: number, b: number) => a + b);
    const raw = new zmq.Dealer({ linger: 0, receiveTimeout: 5000 });
    raw.connect(peer.endpoint);
    try {
      const call = (id: number, a: number) => encodeFrame(CALL, id, "add", [a, 1], null, null, null);
      await raw.send(Buffer.concat([call(1, 10), call(2, 20), call(3, 30).subarray(0, 6)]));
      const got = new Map<unknown, unknown>();
      while (got.size < 3) for (const f of framesOf(await raw.receive())) got.set(f[1], f[2]);
      expect([got.get(1), got.get(2)]).toEqual([11, 21]);
      // the truncated one is answered too: its head still says which call it was
      expect(String(got.get(3))).toMatch(/ValueError: .*truncated/);
    } finally {
      raw.close();
      await peer.close();
    }
  });

  test("the sender refuses a message over its own limit before sending it", async () => {
    const peer = await Peer.bind("tcp://127.0.0.1:0", { log: () => {} });
    const client = await Peer.connect(peer.endpoint, { maxMessageSize: 1000, log: () => {} });
    try {
      await expect(client.call("anything", new Uint8Array(2000))).rejects.toThrow(RangeError);
    } finally {
      await client.close();
      await peer.close();
    }
  });
});
