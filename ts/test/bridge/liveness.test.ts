// Liveness: a peer that dies fails every pending call with ConnectionError within the
// heartbeat; a restarted peer works again without restarting this side; nothing runs twice.
import { ConnectionError } from "../../asyncio/exceptions.js";
import { Peer } from "../../bridge/index.js";
import { startPython, Events, freePort, settle } from "./helpers.js";

const HB = 1; // seconds

test("Python dies mid-call: pending calls fail with ConnectionError within the heartbeat; a restarted Python serves again", async () => {
  const endpoint = `tcp://127.0.0.1:${await freePort()}`;
  let py = await startPython(["--bind", endpoint], { heartbeat: HB });
  const peer = await Peer.connect(endpoint, { heartbeat: HB, log: () => {} });
  const events = new Events();
  peer.register("report", events.push);
  try {
    const slow = peer.invoke("slow", { args: ["doomed"] });
    const many = Array.from({ length: 50 }, () => peer.invoke("slow", { args: ["many"] }));
    await events.waitFor((e) => e[0] === "started" && e[1] === "doomed");
    const killedAt = performance.now();
    await py.stop("SIGKILL");
    const outcome = await settle(slow);
    const elapsed = (performance.now() - killedAt) / 1000;
    expect(outcome.ok).toBe(false);
    expect(outcome.ok === false && outcome.error).toBeInstanceOf(ConnectionError);
    expect(elapsed).toBeLessThan(HB * 1.5 + 0.5); // dead after HB of silence, checked every HB/3
    // none silently lost: every call in flight ended, each with ConnectionError
    const rest = await Promise.all(many.map(settle));
    expect(rest.every((r) => !r.ok && r.error instanceof ConnectionError)).toBe(true);

    // Same endpoint, new process: this side reconnects by itself.
    py = await startPython(["--bind", endpoint], { heartbeat: HB });
    expect(await peer.invoke("add", { args: [1, 2], timeout: 10 })).toBe(3);
    // at most once: the call that was running when Python died did not run again
    expect(events.list.filter((e) => e[0] === "started" && e[1] === "doomed")).toHaveLength(1);
  } finally {
    await peer.close();
    await py.stop();
  }
});

test("the connecting side dies: the bound TS peer fails its calls, then serves the replacement", async () => {
  const peer = await Peer.bind("tcp://127.0.0.1:0", { heartbeat: HB, log: () => {} });
  const events = new Events();
  peer.register("report", events.push);
  let py = await startPython(["--connect", peer.endpoint], { heartbeat: HB });
  try {
    await peer.waitForPeer(10);
    const slow = peer.invoke("slow", { args: ["bound"] });
    await events.waitFor((e) => e[0] === "started" && e[1] === "bound");
    await py.stop("SIGKILL");
    const outcome = await settle(slow);
    expect(outcome.ok === false && outcome.error).toBeInstanceOf(ConnectionError);

    py = await startPython(["--connect", peer.endpoint], { heartbeat: HB });
    await peer.waitForPeer(10);
    expect(await peer.call("add", 20, 22)).toBe(42);
  } finally {
    await peer.close();
    await py.stop();
  }
});

test("a call to an endpoint where nobody listens fails with ConnectionError after the heartbeat", async () => {
  const peer = await Peer.connect(`tcp://127.0.0.1:${await freePort()}`, { heartbeat: 0.5, log: () => {} });
  try {
    const r = await settle(peer.call("add", 1, 2));
    expect(r.ok === false && r.error).toBeInstanceOf(ConnectionError);
  } finally {
    await peer.close();
  }
});

test("closing a peer fails its pending calls with ConnectionError", async () => {
  const py = await startPython(["--bind", "tcp://127.0.0.1:0"]);
  const peer = await Peer.connect(py.endpoint, { log: () => {} });
  peer.register("report", () => {});
  try {
    const pending = peer.invoke("slow", { args: ["closing"] });
    expect(await peer.call("add", 1, 1)).toBe(2);
    await peer.close();
    const r = await settle(pending);
    expect(r.ok === false && r.error).toBeInstanceOf(ConnectionError);
  } finally {
    await py.stop();
  }
});

// Row 11 of issue 14: with a 5 s heartbeat, a peer killed mid-call fails its calls as soon as
// its connection closes (ZeroMQ's socket monitor, ROUTER_NOTIFY), not a heartbeat later.
const LONG_HB = 5;
const FAST = 0.1; // seconds: the goal; the assertion leaves room for a loaded machine
const fastEnough = (s: number) => {
  if (s > FAST) console.warn(`connection-close detection took ${Math.round(s * 1000)} ms (goal ${FAST * 1000} ms)`);
  return s;
};

test("row 11: a killed bound Python peer fails our pending calls at once (connect side)", async () => {
  const py = await startPython(["--bind", "tcp://127.0.0.1:0"], { heartbeat: LONG_HB });
  const peer = await Peer.connect(py.endpoint, { heartbeat: LONG_HB, log: () => {} });
  const events = new Events();
  peer.register("report", events.push);
  try {
    const slow = peer.invoke("slow", { args: ["killed"] });
    await events.waitFor((e) => e[0] === "started" && e[1] === "killed");
    const killedAt = performance.now();
    await py.stop("SIGKILL");
    const outcome = await settle(slow);
    expect(outcome.ok === false && outcome.error).toBeInstanceOf(ConnectionError);
    expect(fastEnough((performance.now() - killedAt) / 1000)).toBeLessThan(1);
  } finally {
    await peer.close();
    await py.stop();
  }
});

test("row 11: a killed connected Python peer fails the bound side's pending calls at once", async () => {
  const server = await Peer.bind("tcp://127.0.0.1:0", { heartbeat: LONG_HB, log: () => {} });
  const events = new Events();
  server.register("report", events.push);
  const py = await startPython(["--connect", server.endpoint], { heartbeat: LONG_HB });
  try {
    await server.waitForPeer(10);
    const slow = server.invoke("slow", { args: ["killed"] });
    await events.waitFor((e) => e[0] === "started" && e[1] === "killed");
    const killedAt = performance.now();
    await py.stop("SIGKILL");
    const outcome = await settle(slow);
    expect(outcome.ok === false && outcome.error).toBeInstanceOf(ConnectionError);
    expect(fastEnough((performance.now() - killedAt) / 1000)).toBeLessThan(1);
  } finally {
    await py.stop();
    await server.close();
  }
});
