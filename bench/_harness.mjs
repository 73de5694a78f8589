// Shared by the benchmarks: the venv's python, pinning to a core, running a Python anchor
// script that prints JSON, and the ratio table.
import { execFileSync, spawn } from "node:child_process";
import { createInterface } from "node:readline";
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

/**
 * Starts `python bench/<script> args…` as a worker that answers one JSON line per command
 * line it reads; `ask(line)` resolves to the parsed answer. For anchors that must interleave
 * with the Node runs instead of running after them.
 */
export function pythonWorker(script, args = []) {
  const child = spawn(venvPython, [`${root}/bench/${script}`, ...args], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  const waiting = [];
  let exited = null;
  createInterface({ input: child.stdout }).on("line", (line) => waiting.shift()?.resolve(JSON.parse(line)));
  child.on("exit", (code) => {
    exited = new Error(`bench/${script} ${args.join(" ")} exited with ${code}`);
    for (const w of waiting.splice(0)) w.reject(exited);
  });
  return {
    ask(line) {
      if (exited) return Promise.reject(exited);
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        child.stdin.write(line + "\n");
      });
    },
    close() {
      child.stdin.end();
      return new Promise((resolve) => (exited ? resolve() : child.on("exit", resolve)));
    },
  };
}
