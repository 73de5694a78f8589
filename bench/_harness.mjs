// Shared by the benchmarks: the venv's python, pinning to a core, running a Python anchor
// script that prints JSON, and the ratio table.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
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
 * Starts `cmd argv…` as a worker that answers one JSON line per command line it reads;
 * `ask(line, timeout)` resolves to the parsed answer, or rejects when the worker exits, or after
 * `timeout` seconds if one is given (the worker is then killed: its answer would come out of
 * turn). `kill()` ends it at once, `close()` by closing its stdin.
 */
export function lineWorker(name, cmd, argv) {
  const child = spawn(cmd, argv, { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  const waiting = [];
  let exited = null;
  createInterface({ input: child.stdout }).on("line", (line) => {
    const w = waiting.shift();
    if (w === undefined) return;
    clearTimeout(w.timer);
    try {
      w.resolve(JSON.parse(line));
    } catch {
      w.reject(new Error(`${name}: not JSON: ${line.slice(0, 200)}`));
    }
  });
  child.on("exit", (code, signal) => {
    exited = new Error(`${name} exited with ${signal ?? code}`);
    for (const w of waiting.splice(0)) {
      clearTimeout(w.timer);
      w.reject(exited);
    }
  });
  return {
    ask(line, timeout = null) {
      if (exited) return Promise.reject(exited);
      return new Promise((resolve, reject) => {
        const w = { resolve, reject, timer: undefined };
        if (timeout !== null) {
          w.timer = setTimeout(() => {
            waiting.splice(waiting.indexOf(w), 1);
            child.kill("SIGKILL");
            reject(new Error(`timeout after ${timeout} s`));
          }, timeout * 1000);
        }
        waiting.push(w);
        child.stdin.write(line + "\n");
      });
    },
    kill() {
      if (!exited) child.kill("SIGKILL");
    },
    close() {
      if (exited) return Promise.resolve();
      child.stdin.end();
      return new Promise((resolve) => child.on("exit", resolve));
    },
  };
}

/**
 * Starts `python bench/<script> args…` as a worker that answers one JSON line per command
 * line it reads; `ask(line)` resolves to the parsed answer. For anchors that must interleave
 * with the Node runs instead of running after them.
 */
export function pythonWorker(script, args = []) {
  return lineWorker(`bench/${script} ${args.join(" ")}`, venvPython, [`${root}/bench/${script}`, ...args]);
}

/**
 * Imports `path` (a module of plain async functions) through tulip's compile step: the form
 * "compiled". Resolves to { module, ms } (the transform's time, cold), or { skip: reason } when
 * dist/compile.js is not built yet.
 */
export async function importCompiled(path) {
  let compile;
  try {
    compile = await import(pathToFileURL(`${root}/dist/compile.js`).href);
  } catch (e) {
    if (e?.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes("compile.js")) return { skip: "compiled: dist/compile.js not built yet" };
    throw e;
  }
  const source = readFileSync(path, "utf8");
  const t0 = performance.now();
  const { code } = compile.transform(source, path);
  const ms = performance.now() - t0;
  // Next to the source, so that its relative imports resolve alike.
  const out = join(dirname(path), `.${basename(path, ".mjs")}.compiled.${process.pid}.mjs`);
  writeFileSync(out, code);
  try {
    return { module: await import(pathToFileURL(out).href), ms, chars: source.length };
  } finally {
    unlinkSync(out);
  }
}
