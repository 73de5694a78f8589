// Shared by the benchmarks: the venv's python, pinning to a core, running a Python anchor
// script that prints JSON, and the ratio table.
import { execFileSync } from "node:child_process";
import { venvPython, root } from "../scripts/setup.mjs";

export { venvPython, root };

/** Runs `python bench/<script> args…` (optionally pinned with taskset) and parses its JSON stdout. */
export function runPython(script, args = [], { cpu = null } = {}) {
  const cmd = cpu === null ? venvPython : "taskset";
  const argv = cpu === null ? [`${root}/bench/${script}`, ...args] : ["-c", String(cpu), venvPython, `${root}/bench/${script}`, ...args];
  return JSON.parse(execFileSync(cmd, argv, { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 }));
}

/** Best of `repeat` timed runs of `fn(n)` (async allowed) after a warm-up; returns ops/s. */
export async function opsPerSec(fn, n, { repeat = 5, warmup = 2 } = {}) {
  for (let i = 0; i < warmup; i++) await fn(n);
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    await fn(n);
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.min(best, dt);
  }
  return n / best;
}

const fmt = (x) => (x >= 1e6 ? (x / 1e6).toFixed(2) + "M" : x >= 1e3 ? (x / 1e3).toFixed(1) + "k" : x.toFixed(1));

/** Prints a markdown table: one row per case, tulip first, then each anchor and tulip's ratio to it. */
export function table(rows, anchors, unit = "ops/s") {
  const head = ["case", `tulip (${unit})`, ...anchors.flatMap((a) => [a, `tulip / ${a}`])];
  console.log(`| ${head.join(" | ")} |`);
  console.log(`|${head.map(() => "---").join("|")}|`);
  for (const r of rows) {
    const cells = [r.name, fmt(r.tulip), ...anchors.flatMap((a) => [fmt(r[a]), (r.tulip / r[a]).toFixed(2) + "x"])];
    console.log(`| ${cells.join(" | ")} |`);
  }
}
