// Issue 14 item 3: a bound Node peer with `fanout` spreads its calls over N Python workers
// (`python -m tulip_bridge serve --connect … --module bridge_funcs`, started N times): least in
// flight, ties round-robin; each call pinned to its worker (cancel, deadline, stream credit);
// workers join and leave; a dead worker's calls fail with ConnectionError unless retried.
import * as zmq from "zeromq";
import { ConnectionError, TimeoutError } from "../../asyncio/exceptions.js";
import { Peer } from "../../bridge/index.js";
import { startPython, Events, settle, type PyPeer } from "./helpers.js";

const HB = 5; // a long heartbeat: a dead worker must be noticed by its closed connection

async function front(n: number, opts = {}): Promise<{ peer: Peer; events: Events; workers: PyPeer[] }> {
  const peer = await Peer.bind("tcp://127.0.0.1:0", { fanout: true, heartbeat: HB, log: () => {}, ...opts });
  const events = new Events();
  peer.register("report", events.push);
  const workers = await Promise.all(Array.from({ length: n }, () => startPython(["--connect", peer.endpoint], { heartbeat: HB })));
  await waitForWorkers(peer, n);
  return { peer, events, workers };
}

/** Resolves once `peer` has `n` live workers (each greeting is an event; a safety-net timeout). */
async function waitForWorkers(peer: Peer, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (peer.workers().length !== n) {
    if (Date.now() > deadline) throw new Error(`${peer.workers().length} workers, want ${n}`);
    await new Promise((r) => setImmediate(r));
  }
}

async function stopAll(peer: Peer, workers: PyPeer[]): Promise<void> {
  await peer.close();
  await Promise.all(workers.map((w) => w.stop()));
}

test("calls one at a time go round-robin; a busy worker is skipped (least in flight)", async () => {
  const { peer, events, workers } = await front(3);
  try {
    const pids = workers.map((w) => w.proc.pid);
    const seq: number[] = [];
    for (let i = 0; i < 6; i++) seq.push(await peer.call("pid"));
    expect(new Set(seq.slice(0, 3))).toEqual(new Set(pids)); // each once…
    expect(seq.slice(3)).toEqual(seq.slice(0, 3)); // …then again in the same order
    // One worker holds a call: the next calls go to the other two only.
    const heldCall = peer.invoke("held", { args: ["busy"] });
    const [, , busyPid] = await events.waitFor((e) => e[0] === "started" && e[1] === "busy");
    const more: number[] = [];
    for (let i = 0; i < 6; i++) more.push(await peer.call("pid"));
    expect(more).not.toContain(busyPid);
    expect(new Set(more).size).toBe(2);
    expect(peer.workers().map((w) => w.inFlight).sort()).toEqual([0, 0, 1]);
    heldCall.cancel();
    await events.waitFor((e) => e[0] === "cancelled" && e[1] === "busy" && e[2] === busyPid); // the cancel went to its worker
  } finally {
    await stopAll(peer, workers);
  }
});

test("concurrent calls spread evenly; a deadline is enforced on the worker that took the call", async () => {
  const { peer, events, workers } = await front(2);
  try {
    const got = await Promise.all(Array.from({ length: 40 }, () => peer.call("pid")));
    const counts = new Map<number, number>();
    for (const p of got) counts.set(p, (counts.get(p) ?? 0) + 1);
    expect([...counts.values()]).toEqual([20, 20]);
    const err = await settle(peer.invoke("held", { args: ["deadline"], timeout: 0.3 }));
    expect(err.ok === false && err.error).toBeInstanceOf(TimeoutError);
    const [, , startedOn] = await events.waitFor((e) => e[0] === "started" && e[1] === "deadline");
    await events.waitFor((e) => e[0] === "cancelled" && e[1] === "deadline" && e[2] === startedOn);
  } finally {
    await stopAll(peer, workers);
  }
});

test("a stream stays with the worker that took it (its credit goes there too)", async () => {
  const { peer, workers } = await front(2, { streamWindow: 2 });
  try {
    for (let k = 0; k < 2; k++) {
      const out: number[] = [];
      for await (const x of peer.stream<number>("count", 7, `s${k}`)) out.push(x);
      expect(out).toEqual([0, 1, 2, 3, 4, 5, 6]);
    }
  } finally {
    await stopAll(peer, workers);
  }
});

test("workers join and leave: a killed worker's calls fail with ConnectionError, never re-run; a newcomer takes calls", async () => {
  const { peer, events, workers } = await front(2);
  try {
    const doomed = peer.invoke("held", { args: ["doomed"] });
    const [, , doomedPid] = await events.waitFor((e) => e[0] === "started" && e[1] === "doomed");
    const victim = workers.find((w) => w.proc.pid === doomedPid)!;
    const killedAt = performance.now();
    await victim.stop("SIGKILL");
    const r = await settle(doomed);
    expect(r.ok === false && r.error).toBeInstanceOf(ConnectionError);
    expect(performance.now() - killedAt).toBeLessThan(1000); // its connection closed: not a heartbeat later
    expect(peer.workers()).toHaveLength(1);
    const survivor = workers.find((w) => w !== victim)!;
    expect(await peer.call("pid")).toBe(survivor.proc.pid);
    const newcomer = await startPython(["--connect", peer.endpoint], { heartbeat: HB });
    workers.push(newcomer);
    await waitForWorkers(peer, 2);
    const seen = new Set<number>();
    for (let i = 0; i < 4; i++) seen.add(await peer.call("pid"));
    expect(seen).toEqual(new Set([survivor.proc.pid, newcomer.proc.pid]));
    expect(events.list.filter((e) => e[1] === "doomed" && e[0] === "started")).toHaveLength(1); // never re-run
  } finally {
    await stopAll(peer, workers);
  }
});

test("retry: an idempotent function's call is sent again to another worker when its worker dies; others are not", async () => {
  const { peer, events, workers } = await front(2);
  try {
    // Asked for a retry, but not registered idempotent: fails.
    const plain = peer.invoke("held", { args: ["plain", 0.2], retry: 1 });
    const [, , plainPid] = await events.waitFor((e) => e[0] === "started" && e[1] === "plain");
    const first = workers.find((w) => w.proc.pid === plainPid)!;
    await first.stop("SIGKILL");
    expect((await settle(plain)).ok === false).toBe(true);
    await waitForWorkers(peer, 1);
    workers.push(await startPython(["--connect", peer.endpoint], { heartbeat: HB }));
    await waitForWorkers(peer, 2);
    // Registered idempotent and asked for a retry: the other worker answers.
    const idem = peer.invoke("held_idempotent", { args: ["idem", 0.2], retry: 1 });
    const [, , idemPid] = await events.waitFor((e) => e[0] === "started" && e[1] === "idem");
    await workers.find((w) => w.proc.pid === idemPid)!.stop("SIGKILL");
    const answer = await idem;
    expect(answer).not.toBe(idemPid);
    expect(events.list.filter((e) => e[0] === "started" && e[1] === "idem").map((e) => e[2])).toEqual([idemPid, answer]);
    // Registered idempotent, no retry asked: fails.
    const noRetry = peer.invoke("held_idempotent", { args: ["noretry"] });
    await events.waitFor((e) => e[0] === "started" && e[1] === "noretry");
    await Promise.all(workers.map((w) => w.stop("SIGKILL")));
    const nr = await settle(noRetry);
    expect(nr.ok === false && nr.error).toBeInstanceOf(ConnectionError);
  } finally {
    await stopAll(peer, workers);
  }
});

test("without fanout a bound peer keeps its calls with the first live peer (issue 14 row 4)", async () => {
  const peer = await Peer.bind("tcp://127.0.0.1:0", { heartbeat: HB, log: () => {} });
  const workers = [await startPython(["--connect", peer.endpoint], { heartbeat: HB })];
  try {
    await waitForWorkers(peer, 1);
    workers.push(await startPython(["--connect", peer.endpoint], { heartbeat: HB }));
    await waitForWorkers(peer, 2);
    for (let i = 0; i < 4; i++) expect(await peer.call("pid")).toBe(workers[0].proc.pid);
  } finally {
    await stopAll(peer, workers);
  }
});

const hasCurve = zmq.capability.curve === true;
(hasCurve ? test : test.skip)("with CURVE authorizedKeys each worker is known by its key", async () => {
  const server = zmq.curveKeyPair();
  const keys = [zmq.curveKeyPair(), zmq.curveKeyPair()];
  const peer = await Peer.bind("tcp://127.0.0.1:0", { fanout: true, curve: { ...server, authorizedKeys: keys.map((k) => k.publicKey) }, log: () => {} });
  const workers = await Promise.all(keys.map((k, i) =>
    Peer.connect(peer.endpoint, { curve: { ...k, serverKey: server.publicKey }, log: () => {} }).then((w) => w.register("who", () => i))));
  try {
    await waitForWorkers(peer, 2);
    expect(new Set(peer.workers().map((w) => w.key))).toEqual(new Set(keys.map((k) => k.publicKey)));
    const byKey = new Map(peer.workers().map((w) => [w.key, w]));
    expect(byKey.get(keys[0].publicKey)!.id).toBe(Buffer.from(keys[0].publicKey).toString("hex"));
    expect(new Set([await peer.call("who"), await peer.call("who")])).toEqual(new Set([0, 1]));
  } finally {
    await peer.close();
    await Promise.all(workers.map((w) => w.close()));
  }
});

test("a HEARTBEAT with ill-typed idempotent names is refused and logged; the peer keeps serving", async () => {
  const { RawPeer } = await import("./hostile.js");
  const logged: string[] = [];
  const peer = await Peer.bind("tcp://127.0.0.1:0", { fanout: true, log: (m) => logged.push(m) });
  peer.register("add", (a: number, b: number) => a + b);
  const raw = new RawPeer(peer.endpoint);
  try {
    await raw.send([9, 0, "s1", 5, 42], [9, 0, "s1", 5, [1, 2]], [9, 0, "s1", 5, Array.from({ length: 10_001 }, () => "x")]);
    await raw.send([1, 7, "add", [1, 2], null, null, null]);
    expect((await raw.reply(7))[2]).toBe(3);
    expect(logged.filter((m) => /idempotent names must be an array of str/.test(m))).toHaveLength(3);
    expect(peer.workers()).toEqual([]); // never greeted properly: not a worker
    await raw.send([9, 0, "s2", 5, ["add"]]);
    await raw.send([1, 8, "add", [2, 2], null, null, null]);
    expect((await raw.reply(8))[2]).toBe(4);
    expect(peer.workers().map((w) => w.session)).toEqual(["s2"]);
  } finally {
    raw.close();
    await peer.close();
  }
});
