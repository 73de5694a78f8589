/**
 * The conformance runner: runs scenarios on tulip and on the reference (CPython live, or
 * its blessed goldens), compares the traces, applies the expectation file, and reports:
 * a progress bar, a per-area table, unified diffs, a JSON results file.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { unifiedDiff } from "./diff.js";
import { Expectations, type Status } from "./expectations.js";
import { BridgePythonImplementation, GoldenImplementation, PythonImplementation, TulipImplementation, type Implementation, type Outcome } from "./implementations.js";
import type { Scenario } from "./scenario.js";

export type Mode = "live" | "golden";

export interface Result {
  id: string;
  area: string;
  status: Status;
  /** The expectation file's status, when it lists this scenario. */
  expected: Status | null;
  reason: string | null;
  /** status is what the expectations say (PASS when none). */
  asExpected: boolean;
  message: string | null;
  diff: string | null;
  ms: number;
}

export interface RunOptions {
  mode: Mode;
  /** How live mode reaches CPython: the bridge (default) or JSON lines on a pipe. */
  transport?: "bridge" | "stdio";
  jobs: number;
  timeoutMs: number;
  expectations: Expectations;
  progress: boolean;
}

/** Classify one scenario from the two outcomes (pure: the unit tests drive it). */
export function classify(sc: Scenario, ref: Outcome, got: Outcome, expectations: Expectations, ms = 0): Result {
  let status: Status, message: string | null = null, diff: string | null = null;
  if (ref.kind !== "trace") {
    status = ref.kind === "timeout" ? "TIMEOUT" : "ERROR";
    message = `reference: ${ref.kind === "error" ? ref.message : "timed out"}`;
  } else if (got.kind === "error") {
    status = "ERROR";
    message = got.message;
  } else if (got.kind === "timeout") {
    status = "TIMEOUT";
    message = "tulip timed out";
  } else if (got.lines.length === ref.lines.length && got.lines.every((l, i) => l === ref.lines[i])) {
    status = "PASS";
  } else {
    status = "FAIL";
    diff = unifiedDiff(ref.lines, got.lines, `cpython/${sc.id}`, `tulip/${sc.id}`);
  }
  return finish(sc, status, message, diff, expectations, ms);
}

function finish(sc: Scenario, status: Status, message: string | null, diff: string | null, expectations: Expectations, ms: number): Result {
  const e = expectations.for(sc.id);
  return {
    id: sc.id, area: sc.id.split("/")[0], status, expected: e?.status ?? null, reason: e?.reason ?? null,
    asExpected: status === (e?.status ?? "PASS"), message, diff, ms,
  };
}

class Progress {
  private done = 0;
  constructor(private readonly total: number, private readonly enabled: boolean) {}
  tick(label: string): void {
    this.done++;
    if (!this.enabled) return;
    const width = 30, filled = Math.round((this.done / this.total) * width);
    process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${this.done}/${this.total} ${label.padEnd(48).slice(0, 48)}`);
  }
  end(): void {
    if (this.enabled) process.stderr.write("\r" + " ".repeat(96) + "\r");
  }
}

/** Runs the reference side over `jobs` workers, then tulip one scenario at a time. */
export async function runConformance(scenarios: Scenario[], opts: RunOptions): Promise<{ results: Result[]; reference: string }> {
  const runnable = scenarios.filter((s) => opts.expectations.for(s.id)?.status !== "SKIP");
  const progress = new Progress(runnable.length * 2, opts.progress);
  const refs = new Map<string, Outcome>();
  let reference: string;
  if (opts.mode === "golden") {
    const golden = new GoldenImplementation();
    reference = golden.name;
    for (const sc of runnable) {
      refs.set(sc.id, await golden.run(sc));
      progress.tick(sc.id);
    }
  } else {
    const workers: (PythonImplementation | BridgePythonImplementation)[] = [];
    try {
      for (let i = 0; i < Math.max(1, opts.jobs); i++) {
        const w = opts.transport === "stdio" ? new PythonImplementation() : new BridgePythonImplementation();
        try {
          await w.start();
        } catch (e) {
          throw new Error(`${(e as Error).message}\n(no CPython to run live: use --golden to compare with the traces blessed from it)`);
        }
        workers.push(w);
      }
      reference = `cpython ${workers[0].version} (${opts.transport === "stdio" ? "stdio" : "bridge"})`;
      const queue = [...runnable];
      await Promise.all(workers.map(async (w) => {
        for (let sc = queue.shift(); sc !== undefined; sc = queue.shift()) {
          refs.set(sc.id, await w.run(sc, opts.timeoutMs));
          progress.tick(sc.id);
        }
      }));
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  }
  const tulip: Implementation = new TulipImplementation();
  const results: Result[] = [];
  for (const sc of scenarios) {
    const e = opts.expectations.for(sc.id);
    if (e?.status === "SKIP") {
      results.push(finish(sc, "SKIP", e.reason, null, opts.expectations, 0));
      continue;
    }
    const t0 = performance.now();
    const got = await tulip.run(sc, opts.timeoutMs);
    results.push(classify(sc, refs.get(sc.id)!, got, opts.expectations, performance.now() - t0));
    progress.tick(sc.id);
  }
  progress.end();
  return { results, reference };
}

// ---- reporting ----

export interface Counts {
  pass: number; known: number; fail: number; error: number; timeout: number; skip: number; fixed: number; total: number;
}

export function count(results: Result[]): Counts {
  const c: Counts = { pass: 0, known: 0, fail: 0, error: 0, timeout: 0, skip: 0, fixed: 0, total: results.length };
  for (const r of results) {
    if (r.status === "SKIP") c.skip++;
    else if (r.status === "PASS" && r.expected === null) c.pass++;
    else if (r.status === "PASS") c.fixed++; // a known failure that now passes
    else if (r.asExpected) c.known++;
    else if (r.status === "FAIL") c.fail++;
    else if (r.status === "ERROR") c.error++;
    else c.timeout++;
  }
  return c;
}

/** Results that disagree with the expectations (including known failures that now pass). */
export function unexpected(results: Result[]): Result[] {
  return results.filter((r) => !r.asExpected);
}

export function table(results: Result[]): string {
  const areas = [...new Set(results.map((r) => r.area))];
  const cols = ["area", "pass", "known", "fail", "error", "timeout", "skip", "fixed", "total"];
  const rows = areas.map((a) => {
    const c = count(results.filter((r) => r.area === a));
    return [a, c.pass, c.known, c.fail, c.error, c.timeout, c.skip, c.fixed, c.total].map(String);
  });
  const t = count(results);
  rows.push(["TOTAL", t.pass, t.known, t.fail, t.error, t.timeout, t.skip, t.fixed, t.total].map(String));
  const w = cols.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join("  ");
  return [line(cols), w.map((n) => "-".repeat(n)).join("  "), ...rows.slice(0, -1).map(line), w.map((n) => "-".repeat(n)).join("  "), line(rows[rows.length - 1])].join("\n");
}

/** The details of every unexpected result: diffs for failures, messages for errors. */
export function details(results: Result[]): string {
  const out: string[] = [];
  for (const r of unexpected(results)) {
    if (r.status === "PASS") {
      out.push(`FIXED ${r.id}: listed as ${r.expected} (${r.reason}) but passes; remove it from spec/expectations/`);
    } else if (r.diff !== null) {
      out.push(`FAIL ${r.id}\n${r.diff}`);
    } else {
      out.push(`${r.status} ${r.id}: ${r.message ?? ""}${r.expected ? ` (expected ${r.expected})` : ""}`);
    }
  }
  return out.join("\n\n");
}

export function writeJson(path: string, data: object): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(data, null, 1) + "\n");
}
