/**
 * The conformance runner: runs scenarios on tulip and on the reference (CPython live, or
 * its blessed goldens), compares the traces, applies the expectation file, and reports:
 * a progress bar, a per-area table, unified diffs, a JSON results file.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { unifiedDiff } from "./diff.js";
import { Expectations, type Status } from "./expectations.js";
import { FORMS, unavailable, type Form } from "./forms.js";
import { BridgePythonImplementation, GoldenImplementation, IsolatedTulip, PythonImplementation, TulipImplementation, type Implementation, type Outcome } from "./implementations.js";
import type { PythonLoop } from "./python_loop.js";
import type { Scenario } from "./scenario.js";
import { compareScenario, type UvloopResult } from "./uvloop.js";

export type Mode = "live" | "golden";

export interface Result {
  id: string;
  area: string;
  /** The coroutine form tulip ran the scenario in (forms.ts). */
  form: Form;
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
  /** The coroutine forms to run tulip in (default: all four). */
  forms?: readonly Form[];
  /** Run tulip in a worker thread behind a watchdog (IsolatedTulip) rather than in this thread. */
  isolate?: boolean;
  /** `uvloop`: run each scenario on uvloop too and compare it with asyncio (uvloop.ts); live mode only. */
  pythonLoop?: PythonLoop;
}

/** Classify one scenario from the two outcomes (pure: the unit tests drive it). */
export function classify(sc: Scenario, ref: Outcome, got: Outcome, expectations: Expectations, ms = 0, form: Form = "generator"): Result {
  let status: Status, message: string | null = null, diff: string | null = null;
  if (ref.kind !== "trace") {
    status = ref.kind === "timeout" ? "TIMEOUT" : "ERROR";
    message = `reference: ${ref.kind === "error" ? ref.message : "timed out"}`;
  } else if (got.kind === "error") {
    status = "ERROR";
    message = got.message;
  } else if (got.kind === "timeout") {
    status = "TIMEOUT";
    message = got.message ?? "tulip timed out";
  } else if (got.lines.length === ref.lines.length && got.lines.every((l, i) => l === ref.lines[i])) {
    status = "PASS";
  } else {
    status = "FAIL";
    diff = unifiedDiff(ref.lines, got.lines, `cpython/${sc.id}`, `tulip/${sc.id}`);
  }
  return finish(sc, status, message, diff, expectations, ms, form);
}

function finish(sc: Scenario, status: Status, message: string | null, diff: string | null, expectations: Expectations, ms: number,
  form: Form): Result {
  const e = expectations.for(sc.id, form);
  return {
    id: sc.id, area: sc.id.split("/")[0], form, status, expected: e?.status ?? null, reason: e?.reason ?? null,
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

/**
 * Runs `each` over the scenarios on `jobs` Python workers on `loop` (over the bridge, or JSON
 * lines on a pipe); returns the reference's label.
 */
async function onPython(scenarios: Scenario[], opts: RunOptions, loop: PythonLoop,
  each: (w: PythonImplementation | BridgePythonImplementation, sc: Scenario) => Promise<void>): Promise<string> {
  const workers: (PythonImplementation | BridgePythonImplementation)[] = [];
  try {
    for (let i = 0; i < Math.max(1, opts.jobs); i++) {
      const w = opts.transport === "stdio" ? new PythonImplementation(loop) : new BridgePythonImplementation(loop);
      try {
        await w.start();
      } catch (e) {
        throw new Error(`${(e as Error).message}${loop === "asyncio" ? "\n(no CPython to run live: use --golden to compare with the traces blessed from it)" : ""}`);
      }
      workers.push(w);
    }
    const queue = [...scenarios];
    await Promise.all(workers.map(async (w) => {
      for (let sc = queue.shift(); sc !== undefined; sc = queue.shift()) await each(w, sc);
    }));
    return `cpython ${workers[0]?.version ?? "?"} (${opts.transport === "stdio" ? "stdio" : "bridge"})`;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

/**
 * Runs the reference side over `jobs` workers, then tulip one scenario at a time in each
 * form. Each scenario × form is one result; a form that cannot run here (the compiled one
 * without dist/compile.js) gives SKIP results, with its reason in `skipped`. With
 * `pythonLoop: "uvloop"` each scenario also runs on uvloop, compared with asyncio in `uvloop`;
 * tulip is judged against asyncio's trace either way (uvloop.ts).
 */
export async function runConformance(scenarios: Scenario[], opts: RunOptions): Promise<{
  results: Result[]; reference: string; skipped: Partial<Record<Form, string>>; uvloop: UvloopResult[] | null;
}> {
  const skipped: Partial<Record<Form, string>> = {};
  const forms = opts.forms ?? FORMS;
  for (const form of forms) {
    const why = await unavailable(form);
    if (why !== null) skipped[form] = why;
  }
  const running = forms.filter((f) => skipped[f] === undefined);
  const runs = (sc: Scenario, form: Form) => skipped[form] === undefined && opts.expectations.for(sc.id, form)?.status !== "SKIP";
  const runnable = scenarios.filter((s) => running.some((f) => runs(s, f)));
  const onUvloop = opts.pythonLoop === "uvloop";
  if (onUvloop && opts.mode !== "live") throw new Error("--python-loop uvloop runs the Python side live: it cannot be used with --golden");
  const progress = new Progress(runnable.length * (onUvloop ? 2 : 1) + runnable.length * running.length, opts.progress);
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
    reference = await onPython(runnable, opts, "asyncio", async (w, sc) => {
      refs.set(sc.id, await w.run(sc, opts.timeoutMs));
      progress.tick(sc.id);
    });
  }
  let uvloop: UvloopResult[] | null = null;
  if (onUvloop) {
    const byId = new Map<string, UvloopResult>();
    await onPython(runnable, opts, "uvloop", async (w, sc) => {
      byId.set(sc.id, await compareScenario(sc.id, sc.id.split("/")[0], refs.get(sc.id)!, (how) => w.run(sc, opts.timeoutMs, how)));
      progress.tick(`uvloop ${sc.id}`);
    });
    uvloop = runnable.map((sc) => byId.get(sc.id)!);
  }
  const results: Result[] = [];
  for (const form of forms) {
    const tulip: Implementation = opts.isolate ? new IsolatedTulip(form) : new TulipImplementation(form);
    try {
      await runForm(form, tulip);
    } finally {
      await tulip.stop();
    }
  }
  progress.end();
  return { results, reference, skipped, uvloop };

  async function runForm(form: Form, tulip: Implementation): Promise<void> {
    for (const sc of scenarios) {
      const why = skipped[form] ?? (opts.expectations.for(sc.id, form)?.status === "SKIP" ? opts.expectations.for(sc.id, form)!.reason : null);
      if (why !== null) {
        // A form that cannot run here is skipped as expected (its reason is printed once).
        results.push({ ...finish(sc, "SKIP", why, null, opts.expectations, 0, form), asExpected: true });
        continue;
      }
      const t0 = performance.now();
      const got = await tulip.run(sc, opts.timeoutMs);
      results.push(classify(sc, refs.get(sc.id)!, got, opts.expectations, performance.now() - t0, form));
      progress.tick(`${form} ${sc.id}`);
    }
  }
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

/** The status counts, a row per group (areas, or forms), and a TOTAL row. */
function statusTable(label: string, groups: [string, Result[]][], all: Result[]): string {
  const cols = [label, "pass", "known", "fail", "error", "timeout", "skip", "fixed", "total"];
  const row = (name: string, rs: Result[]) => {
    const c = count(rs);
    return [name, c.pass, c.known, c.fail, c.error, c.timeout, c.skip, c.fixed, c.total].map(String);
  };
  return grid(cols, groups.map(([name, rs]) => row(name, rs)), row("TOTAL", all), true);
}

/** A text table: header, rule, rows, rule, total; numbers right-aligned or text left-aligned. */
function grid(header: string[], rows: string[][], total: string[], numbers: boolean): string {
  const w = header.map((h, i) => Math.max(h.length, ...[...rows, total].map((r) => r[i].length)));
  const line = (r: string[]) => r.map((x, i) => (i > 0 && numbers ? x.padStart(w[i]) : x.padEnd(w[i]))).join("  ").trimEnd();
  const rule = w.map((n) => "-".repeat(n)).join("  ");
  return [line(header), rule, ...rows.map(line), rule, line(total)].join("\n");
}

/** The status counts per area. */
export function table(results: Result[]): string {
  const areas = [...new Set(results.map((r) => r.area))];
  return statusTable("area", areas.map((a) => [a, results.filter((r) => r.area === a)]), results);
}

/** The details of every unexpected result: diffs for failures, messages for errors. */
export function details(results: Result[]): string {
  const out: string[] = [];
  for (const r of unexpected(results)) {
    const what = `${r.id} (${r.form})`;
    if (r.status === "PASS") {
      out.push(`FIXED ${what}: listed as ${r.expected} (${r.reason}) but passes; remove it from spec/expectations/`);
    } else if (r.diff !== null) {
      out.push(`FAIL ${what}\n${r.diff}`);
    } else {
      out.push(`${r.status} ${what}: ${r.message ?? ""}${r.expected ? ` (expected ${r.expected})` : ""}`);
    }
  }
  return out.join("\n\n");
}

/** The forms present in `results`, in FORMS order. */
export function formsOf(results: Result[]): Form[] {
  return FORMS.filter((f) => results.some((r) => r.form === f));
}

/** One cell of the per-form, per-area table: identical/ran, then what else there is. */
export function cell(c: Counts): string {
  const ran = c.total - c.skip;
  if (ran === 0) return c.skip > 0 ? "skip" : "-";
  const extra = ([["known", c.known], ["FAIL", c.fail], ["ERROR", c.error], ["TIMEOUT", c.timeout], ["FIXED", c.fixed], ["skip", c.skip]] as const)
    .filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  return [`${c.pass + c.fixed}/${ran}`, ...extra].join(" ");
}

/** The per-form, per-area table: a row per area, a column per form (identical/ran, known and unexpected counts). */
export function formTable(results: Result[]): string {
  const forms = formsOf(results);
  const areas = [...new Set(results.map((r) => r.area))];
  const row = (label: string, rs: Result[]) => [label, ...forms.map((f) => cell(count(rs.filter((r) => r.form === f))))];
  return grid(["area", ...forms], areas.map((a) => row(a, results.filter((r) => r.area === a))), row("TOTAL", results), false);
}

/** The status counts per form. */
export function formTotals(results: Result[]): string {
  return statusTable("form", formsOf(results).map((f) => [f, results.filter((r) => r.form === f)]), results);
}

export function writeJson(path: string, data: object): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(data, null, 1) + "\n");
}
