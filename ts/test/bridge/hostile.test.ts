// Hostile peers (issue 14): a raw ZeroMQ socket, written here, sends crafted frames to a live
// Python peer process and to a TS peer. A bad message never kills the peer, and nothing is
// silently dropped.
import * as asyncio from "../../asyncio/index.js";
import { Peer } from "../../bridge/index.js";
import { RemoteError } from "../../bridge/errors.js";
import { encode } from "../../bridge/codec.js";
import { CALL, ERROR, RESULT, encodeFrame } from "../../bridge/wire.js";
import { startPython, type PyPeer } from "./helpers.js";
import { RawPeer, badCalls, rawCall, wireError } from "./hostile.js";

/** Rows 8, 9: each ill-typed or undecodable call gets an error naming what was wrong; none runs. */
async function expectBadCallsRefused(raw: RawPeer): Promise<void> {
  for (const c of badCalls()) {
    await raw.sendBytes(c.bytes);
    const reply = await raw.reply(c.id);
    expect([c.what, reply[0], (reply[2] as Error).name]).toEqual([c.what, ERROR, c.type]);
    expect((reply[2] as Error).message).toMatch(c.match);
  }
  // In one message: an undecodable call, then a good one: both are answered.
  await raw.sendBytes(Buffer.concat([rawCall(31, "add", Buffer.from([0x91, 0xd4, 42, 0])), encodeFrame(CALL, 32, "add", [2, 3], null, null, null)]));
  expect((await raw.reply(31))[0]).toBe(ERROR);
  expect((await raw.reply(32))[2]).toBe(5);
  // None of the refused calls ran: each id got exactly one reply, an ERROR.
  const replies = raw.got.filter((f) => Array.isArray(f) && (f[0] === RESULT || f[0] === ERROR)) as unknown[][];
  for (const c of badCalls()) expect(replies.filter((f) => f[1] === c.id).map((f) => f[0])).toEqual([ERROR]);
}

// Exception types that would end the process (or a generator) if raised as themselves.
const DEADLY = ["SystemExit", "KeyboardInterrupt", "GeneratorExit", "BaseException", "StopIteration", "StopAsyncIteration"];

describe("against a Python peer process", () => {
  let py: PyPeer;
  let raw: RawPeer;
  beforeAll(async () => {
    py = await startPython(["--bind", "tcp://127.0.0.1:0"], { heartbeat: 5 });
  });
  afterAll(async () => py.stop());
  beforeEach(async () => {
    raw = new RawPeer(py.endpoint);
    await raw.greet();
  });
  afterEach(() => raw.close());

  test("row 2: an error reply claiming SystemExit, KeyboardInterrupt… arrives as RemoteError; the peer lives", async () => {
    let id = 100;
    for (const name of DEADLY) {
      // Python's remote_error calls us back (we are the peer that greeted last) and describes what it caught.
      await raw.send([CALL, ++id, "remote_error", [`cb.${name}`], null, null, null]);
      const call = await raw.next((f) => f[0] === CALL && f[2] === `cb.${name}`);
      await raw.send([ERROR, call[1], wireError(name, "bye")]);
      const reply = await raw.reply(id);
      expect([reply[0], reply[2]]).toEqual([RESULT, ["RemoteError", `${name}: bye`, name, false]]);
    }
    await raw.send([CALL, 1, "add", [1, 2], null, null, null]);
    expect((await raw.reply(1))[2]).toBe(3);
    expect(py.proc.exitCode).toBeNull();
  });

  test("rows 8, 9: ill-typed and undecodable calls get an error reply naming what was wrong; none runs", async () => {
    await expectBadCallsRefused(raw);
    expect(py.proc.exitCode).toBeNull();
  });
});

describe("against a TS peer", () => {
  test("row 2: an error reply claiming SystemExit, KeyboardInterrupt… arrives as RemoteError; the loop runs on", async () => {
    await asyncio.run(async () => {
      const peer = await Peer.bind("tcp://127.0.0.1:0", { log: () => {} });
      peer.register("remoteError", async (name: string) => {
        try {
          await peer.call(name);
        } catch (e) {
          return [(e as Error).name, (e as RemoteError).remoteType ?? null, e instanceof RemoteError];
        }
        return null;
      });
      const raw = new RawPeer(peer.endpoint);
      try {
        await raw.greet();
        let id = 0;
        for (const name of DEADLY) {
          await raw.send([CALL, ++id, "remoteError", [`cb.${name}`], null, null, null]);
          const call = await raw.next((f) => f[0] === CALL && f[2] === `cb.${name}`);
          await raw.send([ERROR, call[1], wireError(name, "bye")]);
          expect((await raw.reply(id))[2]).toEqual(["RemoteError", name, true]);
        }
      } finally {
        raw.close();
        await peer.close();
      }
    });
  });
});

test("rows 8, 9 (TS peer): ill-typed and undecodable calls get an error reply naming what was wrong; none runs", async () => {
  const peer = await Peer.bind("tcp://127.0.0.1:0", { log: () => {} });
  let ran = 0;
  peer.register("add", (a: number, b: number) => (ran++, a + b));
  peer.register("count", async function* (n: number) {
    ran++;
    for (let i = 0; i < n; i++) yield i;
  });
  const raw = new RawPeer(peer.endpoint);
  try {
    await expectBadCallsRefused(raw);
    expect(ran).toBe(1); // the one good call
  } finally {
    raw.close();
    await peer.close();
  }
});

test("rows 8, 9 (TS caller): a reply that does not decode fails the call instead of leaving it pending", async () => {
  const peer = await Peer.bind("tcp://127.0.0.1:0", { log: () => {} });
  const client = new RawPeer(peer.endpoint);
  try {
    await client.greet();
    await peer.waitForPeer(5);
    const fut = peer.invoke("f", { args: [] });
    const call = await client.next((f) => f[0] === CALL && f[2] === "f");
    // RESULT [3, id, <ext 42>]
    await client.sendBytes(Buffer.concat([Buffer.from([0x93, 0x03]), encode(call[1]), Buffer.from([0xd4, 42, 0])]));
    await expect(Promise.resolve(fut)).rejects.toThrow(/bad RESULT frame for this call: undecodable frame: .*42/);
  } finally {
    client.close();
    await peer.close();
  }
});
