// Fan-out (issue 14 item 3), run by bridge.bench.mjs after its own cases (or alone:
// `node bench/bridge_fanout.mjs`). A Node front end (`Peer.bind(…, { fanout: true })`) and Python
// workers started as `python -m tulip_bridge serve --connect … --module fanout_worker`.
//  1. Scaling: a pure-Python handler doing BENCH_CPU_MS (default 2) ms of CPU work (a fixed loop,
//     calibrated in process time), 8 calls in flight, 1 worker vs 2 workers (the OS places them
//     on the 2 cores; the front end may run on either). Goal: 2 workers ≥ 1.8x.
//  2. Overhead: echo calls/s through the fan-out (front end bound, 1 worker connected) vs one
//     direct peer (Node connects to `serve --bind`), Node on core 0 and Python on core 1, 64
//     and 1 in flight. Goal ≥ 0.9x.
// Each figure is the median of BENCH_ROUNDS (3) interleaved rounds.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Peer } from "../dist/bridge/index.js";
import { venvPython, root } from "./_harness.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CPU_MS = Number(process.env.BENCH_CPU_MS ?? 2);
const N_CPU = Number(process.env.BENCH_FANOUT_CALLS ?? 1500);
const N64 = Number(process.env.BENCH_N64 ?? 50000);
const N1 = Number(process.env.BENCH_N1 ?? 5000);
const env = { ...process.env, PYTHONPATH: `${root}/bench:${root}/py` };
const PAYLOAD = "x".repeat(32);

function pin(cpus) {
  try {
    execFileSync("taskset", ["-a", "-p", "-c", cpus, String(process.pid)], { stdio: "ignore" });
  } catch {
    console.error("(taskset unavailable: not pinned)");
  }
}

function startWorker(args, cpus) {
  const proc = spawn("taskset", ["-c", cpus, venvPython, "-m", "tulip_bridge", "serve", ...args, "--module", "fanout_worker"],
    { env, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout }).once("line", (l) => resolve({ proc, endpoint: l.split(" ")[1] }));
    proc.once("exit", (c) => reject(new Error(`worker exited ${c}`)));
  });
}

async function untilWorkers(peer, n) {
  while (peer.workers().length < n) await new Promise((r) => setTimeout(r, 5));
}

/** `n` calls of `make()`, `k` in flight; calls/s. */
async function rate(make, n, k) {
  let left = n;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: k }, async () => {
    while (left-- > 0) await make();
  }));
  return n / ((performance.now() - t0) / 1000);
}

const iters = JSON.parse(execFileSync(venvPython, [`${root}/bench/fanout_worker.py`, "calibrate", String(CPU_MS)], { env, encoding: "utf8" })).iters;

/** CPU seconds a process has used (utime + stime, from /proc; clock ticks of 1/100 s). */
function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

async function scaling(workers) {
  pin("0,1");
  const front = await Peer.bind("tcp://127.0.0.1:0", { fanout: true });
  const procs = await Promise.all(Array.from({ length: workers }, () => startWorker(["--connect", front.endpoint], "0,1")));
  try {
    await untilWorkers(front, workers);
    await rate(() => front.call("burn", iters), 100, 8); // warm-up
    const cpu0 = procs.map((p) => cpuSeconds(p.proc.pid));
    const t0 = performance.now();
    const r = await rate(() => front.call("burn", iters), N_CPU, 8);
    const wall = (performance.now() - t0) / 1000;
    // How much of a core each worker got: what other jobs on the machine left it.
    (share[workers] ??= []).push(...procs.map((p, i) => (cpuSeconds(p.proc.pid) - cpu0[i]) / wall));
    return r;
  } finally {
    await front.close();
    for (const p of procs) p.proc.kill();
  }
}

const share = {};

async function echo(mode) {
  pin("0");
  let peer, proc;
  if (mode !== "direct") {
    peer = await Peer.bind("tcp://127.0.0.1:0", { fanout: mode === "fanout" });
    ({ proc } = await startWorker(["--connect", peer.endpoint], "1"));
    await untilWorkers(peer, 1);
  } else {
    const w = await startWorker(["--bind", "tcp://127.0.0.1:0"], "1");
    proc = w.proc;
    peer = await Peer.connect(w.endpoint);
  }
  try {
    await rate(() => peer.call("echo", PAYLOAD), 2000, 1); // warm-up
    return { rate64: await rate(() => peer.call("echo", PAYLOAD), N64, 64), rate1: await rate(() => peer.call("echo", PAYLOAD), N1, 1) };
  } finally {
    await peer.close();
    proc.kill();
  }
}

const runs = { one: [], two: [], fan64: [], direct64: [], bound64: [], fan1: [], direct1: [], bound1: [] };
for (let round = 0; round < ROUNDS; round++) {
  runs.one.push(await scaling(1));
  runs.two.push(await scaling(2));
  const f = await echo("fanout");
  const d = await echo("direct");
  const b = await echo("bound");
  runs.bound64.push(b.rate64);
  runs.bound1.push(b.rate1);
  runs.fan64.push(f.rate64);
  runs.fan1.push(f.rate1);
  runs.direct64.push(d.rate64);
  runs.direct1.push(d.rate1);
}
const med = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, med(v)]));
const fmt = (x) => (x >= 1e3 ? (x / 1e3).toFixed(1) + "k" : x.toFixed(0));
console.log(`\n### fan-out (${CPU_MS} ms CPU handler = ${iters} loop iterations; median of ${ROUNDS} rounds)\n`);
console.log("| case | measured (calls/s) | against | ratio | goal |");
console.log("|---|---|---|---|---|");
console.log(`| ${CPU_MS} ms CPU handler, 8 in flight: 2 workers vs 1 | ${fmt(m.two)} | ${fmt(m.one)} | ${(m.two / m.one).toFixed(2)}x | ≥ 1.8x |`);
const busy = (k) => share[k].reduce((a, b) => a + b, 0) / ROUNDS; // cores the k workers got, on average
console.log(`| the same per core the workers got (calls/s ÷ cores used: 2 workers ${busy(2).toFixed(2)}, 1 worker ${busy(1).toFixed(2)}) | ${fmt(m.two / busy(2))} | ${fmt(m.one / busy(1))} | ${(m.two / busy(2) / (m.one / busy(1))).toFixed(2)}x | ≈ 1x: no work lost to the fan-out |`);
console.log(`| echo, 64 in flight: through the fan-out (1 worker) vs one direct peer | ${fmt(m.fan64)} | ${fmt(m.direct64)} | ${(m.fan64 / m.direct64).toFixed(2)}x | ≥ 0.9x |`);
console.log(`| echo, 1 in flight: through the fan-out (1 worker) vs one direct peer | ${fmt(m.fan1)} | ${fmt(m.direct1)} | ${(m.fan1 / m.direct1).toFixed(2)}x | ≥ 0.9x |`);
console.log(`| echo, 64 in flight: bound without fanout (1 worker) vs one direct peer | ${fmt(m.bound64)} | ${fmt(m.direct64)} | ${(m.bound64 / m.direct64).toFixed(2)}x | (where the cost is) |`);
console.log(`\nper round: 1 worker ${runs.one.map(fmt).join(", ")}; 2 workers ${runs.two.map(fmt).join(", ")}; ratio ${runs.two.map((t, i) => (t / runs.one[i]).toFixed(2) + "x").join(", ")}`);
console.log(`share of a core each worker process got while timed (CPU s / wall s): 1 worker ${share[1].map((s) => s.toFixed(2)).join(", ")}; 2 workers ${share[2].map((s) => s.toFixed(2)).join(", ")}`);
try {
  console.log(`load average at the end: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
} catch { /* not Linux */ }
process.exit(0);
