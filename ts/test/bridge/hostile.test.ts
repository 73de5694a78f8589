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

describe("rows 3, 4, 5: a bound Python peer with an honest and a hostile client", () => {
  let py: PyPeer;
  beforeAll(async () => {
    py = await startPython(["--bind", "tcp://127.0.0.1:0"], { heartbeat: 5 });
  });
  afterAll(async () => py.stop());

  test("row 3: forged RESULT/ERROR/END and CANCEL frames from another client are ignored", async () => {
    const honest = await Peer.connect(py.endpoint, { log: () => {} });
    const hostile = new RawPeer(py.endpoint);
    try {
      let release!: (v: string) => void;
      const gate = new Promise<string>((r) => (release = r));
      let entered!: () => void;
      const inGate = new Promise<void>((r) => (entered = r));
      honest.register("gate", () => (entered(), gate));
      const result = honest.invoke("call_back", { args: ["gate"] }); // Python calls our gate back, with its own id
      await inGate;
      await hostile.greet();
      for (let id = 1; id < 200; id++) {
        await hostile.send([RESULT, id, "FORGED"], [ERROR, id, wireError("ValueError", "FORGED")], [5 /* CANCEL */, id, "forged"]);
      }
      // Frames of one connection are handled in order: once this is answered, all the forged ones were.
      await hostile.send([CALL, 999, "add", [1, 2], null, null, null]);
      expect((await hostile.reply(999))[2]).toBe(3);
      release("honest");
      expect(await result).toBe("honest");
    } finally {
      hostile.close();
      await honest.close();
    }
  });

  test("row 4: a newcomer's heartbeat does not make it the target of the bound peer's own calls", async () => {
    const first = await Peer.connect(py.endpoint, { log: () => {} });
    first.register("who", () => "first");
    await first.waitForPeer(5);
    const hostile = new RawPeer(py.endpoint);
    try {
      await hostile.greet();
      await hostile.send([CALL, 1, "add", [1, 2], null, null, null]);
      await hostile.reply(1); // the greeting was handled
      expect(await first.call("own_call", "who")).toBe("first");
      expect(hostile.got.filter((f) => Array.isArray(f) && f[0] === CALL)).toEqual([]);
    } finally {
      hostile.close();
      await first.close();
    }
  });

  test("row 5: with two clients, each handler's callbacks go to the client that called", async () => {
    const a = await Peer.connect(py.endpoint, { log: () => {} });
    const b = await Peer.connect(py.endpoint, { log: () => {} });
    try {
      a.register("who", async () => "a");
      b.register("who", async () => "b");
      const calls = [];
      for (let i = 0; i < 20; i++) calls.push(a.call("call_back", "who"), b.call("call_back", "who"));
      const got = await Promise.all(calls);
      expect(got).toEqual(Array.from({ length: 40 }, (_, i) => (i % 2 ? "b" : "a")));
    } finally {
      await a.close();
      await b.close();
    }
  });
});

test("rows 3, 4, 5 (TS bound peer): forged replies ignored, own calls stay with the first, callbacks go to the caller", async () => {
  await asyncio.run(async () => {
    const server = await Peer.bind("tcp://127.0.0.1:0", { log: () => {} });
    server.register("callBack", (name: string) => server.call(name));
    const a = await Peer.connect(server.endpoint, { log: () => {} });
    a.register("who", async () => "a");
    await a.waitForPeer(5);
    await server.waitForPeer(5); // a greeted first (b connects only now: under load it could overtake a)
    const b = await Peer.connect(server.endpoint, { log: () => {} });
    const hostile = new RawPeer(server.endpoint);
    try {
      let release!: (v: string) => void;
      const gate = new Promise<string>((r) => (release = r));
      b.register("who", async () => "b");
      a.register("gate", () => gate);
      const own = server.invoke("gate"); // the server's own call: to a, the first to greet
      await b.waitForPeer(5);
      await hostile.greet();
      for (let id = 1; id < 200; id++) await hostile.send([RESULT, id, "FORGED"], [5, id, "forged"]);
      await hostile.send([CALL, 999, "callBack", ["nothing"], null, null, null]);
      await hostile.next((f) => f[0] === CALL && f[2] === "nothing"); // the hostile one's own callback comes to it
      release("honest");
      expect(await own).toBe("honest");
      const got = await asyncio.gather(...Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a).call("callBack", "who")));
      expect(got).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 ? "b" : "a")));
      expect(await server.call("who")).toBe("a");
    } finally {
      hostile.close();
      await a.close();
      await b.close();
      await server.close();
    }
  });
});

describe("row 12: floods of garbage, lone surrogates", () => {
  const garbage = () => Array.from({ length: 1000 }, (_, i) => Buffer.from([0xc1, i & 0xff, 0x92])); // 0xc1 is never msgpack

  test("a TS peer logs at most 10 lines a second, then how many it suppressed; it keeps serving", async () => {
    const lines: string[] = [];
    let summary!: () => void;
    const summarized = new Promise<void>((r) => (summary = r));
    const peer = await Peer.bind("tcp://127.0.0.1:0", { log: (m) => (lines.push(m), /suppressed/.test(m) && summary()) });
    peer.register("add", (a: number, b: number) => a + b);
    const raw = new RawPeer(peer.endpoint);
    try {
      for (const g of garbage()) await raw.sendBytes(g);
      await raw.send([CALL, 1, "add", [1, 2], null, null, null]);
      expect((await raw.reply(1))[2]).toBe(3);
      await summarized;
      expect(lines.length).toBeLessThan(40); // 1000 bad messages: ~3000 lines before
      expect(lines.some((m) => /\d+ more log lines suppressed/.test(m))).toBe(true);
    } finally {
      raw.close();
      await peer.close();
    }
  });

  test("a Python peer process logs at most 10 lines a second, then how many it suppressed", async () => {
    const py = await startPython(["--bind", "tcp://127.0.0.1:0"], { heartbeat: 5 });
    const raw = new RawPeer(py.endpoint);
    try {
      for (const g of garbage()) await raw.sendBytes(g);
      await raw.send([CALL, 1, "add", [1, 2], null, null, null]);
      expect((await raw.reply(1))[2]).toBe(3);
      await py.waitForStderr(/\d+ more log lines suppressed/);
      expect(py.stderr().split("\n").filter((l) => /tulip_bridge/.test(l)).length).toBeLessThan(40);
    } finally {
      raw.close();
      await py.stop();
    }
  });

  test("a lone surrogate is refused on the TS sender, naming where it is; a well-formed pair is carried", async () => {
    const py = await startPython(["--bind", "tcp://127.0.0.1:0"], { heartbeat: 5 });
    const peer = await Peer.connect(py.endpoint, { log: () => {} });
    try {
      await expect(Promise.resolve(peer.call("echo", "ok", "a\ud800b"))).rejects.toThrow(/lone surrogate \(U\+D800\).*\(at frame\[3\]\[1\]\)/);
      await expect(Promise.resolve(peer.call("echo", new Map([["k\udc00", 1]])))).rejects.toThrow(/lone surrogate \(U\+DC00\)/);
      expect(await peer.call("echo", "😀 \ud83d\ude00")).toEqual(["😀 😀"]);
    } finally {
      await peer.close();
      await py.stop();
    }
  });
});

/** Row 1: a consumer granting 10^9 credit (and 10^9 more) gets at most 1024 items ahead. */
async function expectCreditCapped(raw: RawPeer): Promise<void> {
  // 10^9 more at once: credit beyond the window is not granted either
  await raw.send([2 /* STREAM */, 7, "forever", [], null, 1e9, null], [8 /* PULL */, 7, 1e9]);
  const items = () => raw.got.filter((f) => Array.isArray(f) && f[0] === 6 && f[1] === 7).length;
  await raw.next(() => items() >= 1024, 5).catch((e) => {
    throw new Error(`${items()} items: ${e.message.slice(0, 300)}`);
  });
  await raw.send([CALL, 8, "add", [1, 2], null, null, null]);
  expect((await raw.reply(8))[2]).toBe(3); // the peer is responsive, and has stopped:
  expect(items()).toBeGreaterThanOrEqual(1024);
  expect(items()).toBeLessThanOrEqual(1025); // the window, and one a producer that starts at once took before the PULL
  await raw.send([5 /* CANCEL */, 7, null]);
}

test("row 1: a stream's credit is capped at the window (Python producer process)", async () => {
  const py = await startPython(["--bind", "tcp://127.0.0.1:0"], { heartbeat: 5 });
  const raw = new RawPeer(py.endpoint);
  try {
    await expectCreditCapped(raw);
  } finally {
    raw.close();
    await py.stop();
  }
});
