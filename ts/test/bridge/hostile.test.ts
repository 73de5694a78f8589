// Hostile peers (issue 14): a raw ZeroMQ socket, written here, sends crafted frames to a live
// Python peer process and to a TS peer. A bad message never kills the peer, and nothing is
// silently dropped.
import * as asyncio from "../../asyncio/index.js";
import { Peer } from "../../bridge/index.js";
import { RemoteError } from "../../bridge/errors.js";
import { CALL, ERROR, RESULT } from "../../bridge/wire.js";
import { startPython, type PyPeer } from "./helpers.js";
import { RawPeer, wireError } from "./hostile.js";

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
