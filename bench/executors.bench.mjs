// Executors and threads: to_thread of a trivial function (jobs/s, one at a time and 1000 in
// flight), and a CPU-bound job spread over ThreadPoolExecutor(2) against one worker — beside
// CPython's to_thread and its ProcessPoolExecutor(2) vs (1) (CPython's threads hold the GIL,
// so its ThreadPoolExecutor is shown too) — in one run, as ratios.
//
// The CPU-bound job is the same function on both sides (bench/executors_jobs.mjs, burn in
// bench/executors_anchor.py), each sized to take about BURN_MS alone, since V8 runs it far
// faster than CPython: what is compared is how each side spreads it over 2 workers.
import { availableParallelism, loadavg } from "node:os";
import * as asyncio from "../dist/asyncio/index.js";
import { ThreadPoolExecutor } from "../dist/concurrent/index.js";
import { noop, burn } from "./executors_jobs.mjs";
import { runPython } from "./_harness.mjs";

const N = Number(process.env.BENCH_N ?? 20000);
const JOBS = Number(process.env.BENCH_JOBS ?? 8);
const BURN_MS = Number(process.env.BENCH_BURN_MS ?? 40);

async function best(fn, repeat = 5) {
  await fn();
  let b = Infinity;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await fn();
    b = Math.min(b, performance.now() - t0);
  }
  return b / 1000;
}

/** The n of burn(n) that takes about `ms` on this side. */
function calibrate(ms) {
  let n = 1e6;
  for (let i = 0; i < 10; i++) burn(n); // warm: the worker's copy is compiled by the time it is measured
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    burn(n);
    const dt = performance.now() - t0;
    n = Math.max(1e5, Math.round((n * ms) / Math.max(dt, 0.1)));
  }
  return n;
}

const loop = asyncio.new_event_loop();
asyncio.set_event_loop(loop);
const seq = asyncio.coroutine(async function seq() {
  for (let i = 0; i < N; i++) await asyncio.to_thread(noop, i);
});
const flight = asyncio.coroutine(async function flight() {
  for (let k = 0; k < Math.floor(N / 1000); k++) await asyncio.gather(...Array.from({ length: 1000 }, (_, i) => asyncio.to_thread(noop, i)));
});
const tulip = {};
tulip.to_thread_seq = N / (await best(() => loop.run_until_complete(seq())));
tulip.to_thread_1000 = (Math.floor(N / 1000) * 1000) / (await best(() => loop.run_until_complete(flight())));
await loop.run_until_complete(loop.shutdown_default_executor());
loop.close();

const burnN = calibrate(BURN_MS);
const t0 = performance.now();
burn(burnN);
tulip.burn_ms = performance.now() - t0;
for (const w of [1, 2]) {
  const ex = new ThreadPoolExecutor(w);
  [...ex.map(noop, Array.from({ length: w * 4 }, (_, i) => i))]; // start the workers
  tulip[`thread_${w}`] = JOBS / (await best(() => [...ex.map(burn, Array(JOBS).fill(burnN))], 3));
  await ex.shutdown();
}

const py = runPython("executors_anchor.py", [String(N), String(BURN_MS), String(JOBS)]);

const fmt = (x) => (x >= 1e6 ? (x / 1e6).toFixed(2) + "M" : x >= 1e3 ? (x / 1e3).toFixed(1) + "k" : x.toFixed(1));
console.log(`${availableParallelism()} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}; N = ${N} to_thread jobs; ${JOBS} CPU-bound jobs of ~${BURN_MS} ms each (tulip ${tulip.burn_ms.toFixed(1)} ms, CPython ${py.burn_ms.toFixed(1)} ms alone)\n`);
console.log("| case | tulip (jobs/s) | CPython asyncio | tulip / CPython |");
console.log("|---|---|---|---|");
for (const [name, k] of [["to_thread(noop), one at a time", "to_thread_seq"], ["to_thread(noop), 1000 in flight", "to_thread_1000"]]) {
  console.log(`| ${name} | ${fmt(tulip[k])} | ${fmt(py[k])} | ${(tulip[k] / py[k]).toFixed(2)}x |`);
}
console.log("\n| CPU-bound jobs | 1 worker (jobs/s) | 2 workers (jobs/s) | 2 workers / 1 worker |");
console.log("|---|---|---|---|");
console.log(`| tulip ThreadPoolExecutor | ${fmt(tulip.thread_1)} | ${fmt(tulip.thread_2)} | ${(tulip.thread_2 / tulip.thread_1).toFixed(2)}x |`);
console.log(`| CPython ProcessPoolExecutor | ${fmt(py.process_1)} | ${fmt(py.process_2)} | ${(py.process_2 / py.process_1).toFixed(2)}x |`);
console.log(`| CPython ThreadPoolExecutor (GIL) | ${fmt(py.thread_1)} | ${fmt(py.thread_2)} | ${(py.thread_2 / py.thread_1).toFixed(2)}x |`);
