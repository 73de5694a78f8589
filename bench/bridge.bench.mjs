// Bridge: round trips between Node and CPython, tulip's bridge against the same echo written
// with raw zeromq.js + pyzmq (DEALER/ROUTER, msgpack, no tulip) in two forms: a blocking pyzmq
// socket (the absolute limit) and a zmq.asyncio socket answering inline (the limit for an asyncio
// peer). Node runs on core 0 and Python on core 1. Each client warms up (2000 calls) first.
// Latency: p50/p99 in µs with 1 call in flight (tulip / anchor < 1 is better); throughput:
// calls/s with 1 and 64 in flight (tulip / anchor > 1 is better).
import { execFileSync, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import * as zmq from "zeromq";
import { pack, unpack } from "msgpackr";
import { Peer } from "../dist/bridge/index.js";
import { venvPython, root, table } from "./_harness.mjs";

const N1 = Number(process.env.BENCH_N1 ?? 5000); // calls with 1 in flight
const N64 = Number(process.env.BENCH_N64 ?? 50000); // calls with 64 in flight
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3); // every case this many times, interleaved
const PAYLOAD = "x".repeat(32);
const pyEnv = { ...process.env, PYTHONPATH: `${root}/py` };

try {
  execFileSync("taskset", ["-a", "-p", "-c", "0", String(process.pid)], { stdio: "ignore" });
} catch {
  console.error("(taskset unavailable: Node and Python not pinned)");
}
const pinned = (args) => ["-c", "1", venvPython, `${root}/bench/bridge_peer.py`, ...args];

function startPythonServer(mode) {
  const proc = spawn("taskset", pinned(["server", mode, "tcp://127.0.0.1:0"]), { env: pyEnv, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve) => createInterface({ input: proc.stdout }).once("line", (l) => resolve({ proc, endpoint: l.split(" ")[1] })));
}

function runPythonClient(mode, endpoint, n, k) {
  const proc = spawn("taskset", pinned(["client", mode, endpoint, String(n), String(k)]), { env: pyEnv, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    proc.stdout.on("data", (d) => (out += d));
    proc.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`python client ${mode} exited ${code}`))));
  });
}

function stats(rtts, n, seconds) {
  rtts.sort((a, b) => a - b);
  const out = { rate: n / seconds };
  if (rtts.length) Object.assign(out, { p50: rtts[rtts.length >> 1], p99: rtts[Math.floor(rtts.length * 0.99)] });
  return out;
}

// ---- Node clients

async function clientTulip(endpoint, n, k) {
  const peer = await Peer.connect(endpoint);
  try {
    for (let i = 0; i < 2000; i++) await peer.call("echo", PAYLOAD);
    const rtts = [];
    let left = n;
    const worker = async () => {
      while (left-- > 0) {
        const t = performance.now();
        await peer.call("echo", PAYLOAD);
        if (k === 1) rtts.push((performance.now() - t) * 1000);
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: k }, worker));
    return stats(rtts, n, (performance.now() - t0) / 1000);
  } finally {
    await peer.close();
  }
}

async function clientRaw(endpoint, n, k) {
  const sock = new zmq.Dealer({ linger: 0 });
  sock.connect(endpoint);
  try {
    for (let i = 0; i < 2000; i++) {
      await sock.send(pack([i, PAYLOAD]));
      await sock.receive();
    }
    const rtts = [];
    const sent = new Map();
    let next = 0;
    const t0 = performance.now();
    for (; next < Math.min(k, n); next++) {
      sent.set(next, performance.now());
      await sock.send(pack([next, PAYLOAD]));
    }
    for (let got = 0; got < n; got++) {
      const [msg] = await sock.receive();
      const [cid] = unpack(msg);
      if (k === 1) rtts.push((performance.now() - sent.get(cid)) * 1000);
      sent.delete(cid);
      if (next < n) {
        sent.set(next, performance.now());
        await sock.send(pack([next++, PAYLOAD]));
      }
    }
    return stats(rtts, n, (performance.now() - t0) / 1000);
  } finally {
    sock.close();
  }
}

// ---- Node servers

async function serverTulip() {
  const peer = await Peer.bind("tcp://127.0.0.1:0");
  peer.register("echo", async (x) => x);
  return { endpoint: peer.endpoint, stop: () => peer.close() };
}

async function serverRaw() {
  const sock = new zmq.Router({ linger: 0 });
  await sock.bind("tcp://127.0.0.1:0");
  (async () => {
    try {
      for await (const [id, body] of sock) {
        const [cid, x] = unpack(body);
        await sock.send([id, pack([cid, x])]);
      }
    } catch { /* closed */ }
  })();
  return { endpoint: sock.lastEndpoint, stop: () => sock.close() };
}

// ---- runs

async function tsToPython(mode) {
  const server = await startPythonServer(mode);
  try {
    const client = mode === "tulip" ? clientTulip : clientRaw;
    const one = await client(server.endpoint, N1, 1);
    const many = await client(server.endpoint, N64, 64);
    return { ...one, rate64: many.rate };
  } finally {
    server.proc.kill();
  }
}

async function pythonToTs(mode) {
  const server = mode === "tulip" ? await serverTulip() : await serverRaw();
  try {
    const one = await runPythonClient(mode, server.endpoint, N1, 1);
    const many = await runPythonClient(mode, server.endpoint, N64, 64);
    return { ...one, rate64: many.rate };
  } finally {
    await server.stop();
  }
}

// Rounds interleave the forms so drift on this shared machine hits them alike; each figure is
// the median over the rounds.
const runs = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [dir, run] of [["TS→Py", tsToPython], ["Py→TS", pythonToTs]]) {
    for (const mode of ["tulip", "blocking", "asyncio"]) (runs[`${dir} ${mode}`] ??= []).push(await run(mode));
  }
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const results = Object.fromEntries(Object.entries(runs).map(([k, rs]) =>
  [k, Object.fromEntries(["p50", "p99", "rate", "rate64"].map((f) => [f, median(rs.map((r) => r[f]))]))]));

const rows = [];
for (const dir of ["TS→Py", "Py→TS"]) {
  const r = (mode) => results[`${dir} ${mode}`];
  for (const [label, key] of [["p50 µs, 1 in flight", "p50"], ["p99 µs, 1 in flight", "p99"], ["calls/s, 1 in flight", "rate"], ["calls/s, 64 in flight", "rate64"]]) {
    rows.push({ name: `${dir} ${label}`, tulip: r("tulip")[key], blocking: r("blocking")[key], asyncio: r("asyncio")[key] });
  }
}
table(rows, ["blocking", "asyncio"], "µs or calls/s");
console.log("\nLatency rows: a ratio below 1 is better; throughput rows: above 1 is better.");
// Fan-out across worker processes (its own process: it pins itself differently).
if (process.env.BENCH_FANOUT !== "0") {
  await new Promise((resolve) => spawn(process.execPath, [`${root}/bench/bridge_fanout.mjs`], { stdio: "inherit" }).once("exit", resolve));
}
process.exit(0);
