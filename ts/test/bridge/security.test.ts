// Security: loopback by default; only registered functions run; CURVE encryption and keys.
import * as zmq from "zeromq";
import { ConnectionError } from "../../asyncio/exceptions.js";
import { Peer, isLoopbackEndpoint } from "../../bridge/index.js";
import { py, pyAsync, settle, venvPython, fixtures, root } from "./helpers.js";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";

test("binding or connecting beyond loopback is refused unless allowRemote is set", async () => {
  for (const ep of ["tcp://127.0.0.1:5555", "tcp://localhost:1", "tcp://[::1]:1", "ipc:///tmp/x", "inproc://x", "tcp://127.1.2.3:0"]) {
    expect(isLoopbackEndpoint(ep)).toBe(true);
  }
  for (const ep of ["tcp://*:5555", "tcp://0.0.0.0:1", "tcp://10.0.0.1:1", "tcp://example.com:1", "tcp://eth0:1", "udp://127.0.0.1:1"]) {
    expect(isLoopbackEndpoint(ep)).toBe(false);
  }
  await expect(Peer.bind("tcp://*:0")).rejects.toThrow(/not loopback; pass allowRemote/);
  await expect(Peer.connect("tcp://192.0.2.1:9")).rejects.toThrow(/not loopback/);
  // and the Python side says the same
  expect(py(`
import asyncio
from tulip_bridge import Peer
async def main():
    try:
        await Peer.bind("tcp://0.0.0.0:0")
    except ValueError as e:
        print("refused:", e)
asyncio.run(main())`)).toMatch(/^refused: .*not loopback/);
});

const hasCurve = zmq.capability.curve === true && py("import zmq; print(zmq.has('curve'))").trim() === "True";

function startCurvePython(serverSecret: string, serverPublic: string, allowed: string[]): Promise<{ endpoint: string; stop: () => void }> {
  const code = `
import asyncio, sys
sys.path.insert(0, ${JSON.stringify(fixtures)})
from tulip_bridge import Peer
import bridge_funcs
async def main():
    peer = await Peer.bind("tcp://127.0.0.1:0", curve={"secret_key": ${JSON.stringify(serverSecret)}, "public_key": ${JSON.stringify(serverPublic)},
                                                      "authorized_keys": ${JSON.stringify(allowed)}}, heartbeat=1)
    peer.register_all(bridge_funcs.bridge)
    bridge_funcs.bridge.peer = peer
    print("READY", peer.endpoint, flush=True)
    await asyncio.Event().wait()
asyncio.run(main())`;
  const proc = spawn(venvPython, ["-c", code], { cwd: root, env: { ...process.env, PYTHONPATH: join(root, "py") }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve) => createInterface({ input: proc.stdout! }).once("line", (l) =>
    resolve({ endpoint: l.split(" ")[1], stop: () => proc.kill() })));
}

(hasCurve ? describe : describe.skip)("CURVE (libzmq has it on both sides)", () => {
  test("an authorized client key talks to a CURVE Python peer; an unknown key and a wrong server key do not", async () => {
    const server = zmq.curveKeyPair();
    const good = zmq.curveKeyPair();
    const bad = zmq.curveKeyPair();
    const pyPeer = await startCurvePython(server.secretKey, server.publicKey, [good.publicKey]);
    const ok = await Peer.connect(pyPeer.endpoint, { heartbeat: 1, curve: { ...good, serverKey: server.publicKey }, log: () => {} });
    const refused = await Peer.connect(pyPeer.endpoint, { heartbeat: 1, curve: { ...bad, serverKey: server.publicKey }, log: () => {} });
    const wrongServer = await Peer.connect(pyPeer.endpoint, { heartbeat: 1, curve: { ...good, serverKey: bad.publicKey }, log: () => {} });
    try {
      expect(await ok.call("add", 1, 2)).toBe(3);
      for (const p of [refused, wrongServer]) {
        const r = await settle(p.call("add", 1, 2));
        expect(r.ok === false && r.error).toBeInstanceOf(ConnectionError);
      }
    } finally {
      await Promise.all([ok.close(), refused.close(), wrongServer.close()]);
      pyPeer.stop();
    }
  });

  test("a CURVE TS server with authorizedKeys admits a Python client with a listed key, and only that", async () => {
    const server = zmq.curveKeyPair();
    const good = zmq.curveKeyPair();
    const bad = zmq.curveKeyPair();
    const a = await Peer.bind("tcp://127.0.0.1:0", { heartbeat: 1, curve: { ...server, authorizedKeys: [good.publicKey] }, log: () => {} });
    a.register("hello", (who: string) => `hello ${who}`);
    try {
      const out = await pyAsync(`
import asyncio
from tulip_bridge import Peer
async def main():
    for name, pub, sec in (("good", ${JSON.stringify(good.publicKey)}, ${JSON.stringify(good.secretKey)}),
                           ("bad", ${JSON.stringify(bad.publicKey)}, ${JSON.stringify(bad.secretKey)})):
        p = await Peer.connect(${JSON.stringify(a.endpoint)}, heartbeat=1,
                               curve={"public_key": pub, "secret_key": sec, "server_key": ${JSON.stringify(server.publicKey)}})
        try:
            print(name, await p.call("hello", name))
        except ConnectionError:
            print(name, "refused")
        finally:
            await p.close()
asyncio.run(main())`);
      expect(out.trim().split("\n")).toEqual(["good hello good", "bad refused"]);
    } finally {
      await a.close();
    }
  });

  test("a CURVE TS server and a CURVE TS client", async () => {
    const server = zmq.curveKeyPair();
    const client = zmq.curveKeyPair();
    const a = await Peer.bind("tcp://127.0.0.1:0", { curve: server, log: () => {} });
    a.register("hello", (who: string) => `hello ${who}`);
    const b = await Peer.connect(a.endpoint, { curve: { ...client, serverKey: server.publicKey }, log: () => {} });
    try {
      expect(await b.call("hello", "curve")).toBe("hello curve");
    } finally {
      await b.close();
      await a.close();
    }
  });
});
if (!hasCurve) console.log("CURVE tests skipped: libzmq here lacks CURVE on one side");
