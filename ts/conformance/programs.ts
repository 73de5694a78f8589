/**
 * Paired programs (spec/programs/NAME.py + NAME.ts): the same small program written as people
 * write it — plain `async def` on one side, plain `async function` on the other — run on
 * CPython and on tulip, their observable behaviour compared: stdout, the exit status, and the
 * exception that ended the program, if one did.
 *
 * The TypeScript side runs in each form of FORMS: `raw` (types stripped only, by tulip's
 * compile step with `async: false` — or TypeScript's own transpileModule where that step is
 * missing — the async functions left as real JavaScript async functions) and `compiled`
 * (tulip's compile step, dist/compile.js, which turns async functions into tulip coroutines;
 * SKIP while it is missing). The built `.mjs` files go to build/programs/FORM/,
 * inside the repository, so that `import "tulip"` resolves to this checkout's package.
 *
 * Results use the scenario runner's Result type, one per program×form, with the id
 * `NAME:FORM` (the expectation file spec/expectations/programs.json names them so), and the
 * runner's reporting (table, details, counts, JSON).
 *
 * With `pythonLoop: "uvloop"` each `.py` also runs with uvloop as its loop (uvloop's policy set
 * before the program starts, the file unchanged), compared with its run on asyncio (uvloop.ts).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { unifiedDiff } from "./diff.js";
import { Expectations, type Status } from "./expectations.js";
import { pythonCommand } from "./implementations.js";
import type { PythonLoop } from "./python_loop.js";
import type { Result } from "./runner.js";
import { SPEC_DIR, globToRegExp } from "./scenario.js";
import { compareLoops, skippedOnUvloop, type UvloopResult } from "./uvloop.js";

export const FORMS = ["raw", "compiled", "ported"] as const;
export type Form = (typeof FORMS)[number];

/** The closed list of areas: a program's name starts with its area and `_`. */
export const AREAS = [
  "tasks", "cancellation", "timeouts", "taskgroup", "composition", "locks", "queues", "contextvars",
  "streams", "protocols", "subprocess", "errors", "runner", "signals", "threads", "loops",
] as const;

export const ROOT = join(SPEC_DIR, "..");
export const PROGRAMS_DIR = join(SPEC_DIR, "programs");
export const BUILD_DIR = join(ROOT, "build", "programs");

export interface Program {
  name: string;
  area: string;
  py: string;
  ts: string;
}

/** Every pair in `dir`, by name. A `.py` without its `.ts` (or the reverse), or a name outside
 * the areas, is an error: the suite must not silently lose half a pair. */
export function loadPrograms(dir = PROGRAMS_DIR, areas: readonly string[] = AREAS): Program[] {
  const files = readdirSync(dir);
  const names = new Set(files.filter((f) => /\.(py|ts)$/.test(f)).map((f) => f.replace(/\.(py|ts)$/, "")));
  const out: Program[] = [];
  for (const name of [...names].sort()) {
    const py = join(dir, `${name}.py`), ts = join(dir, `${name}.ts`);
    if (!existsSync(py) || !existsSync(ts)) throw new Error(`program ${name} needs both ${name}.py and ${name}.ts in ${dir}`);
    const area = name.split("_")[0];
    if (!areas.includes(area)) throw new Error(`program ${name}: its name must start with an area (${areas.join(", ")}) and _`);
    out.push({ name, area, py, ts });
  }
  return out;
}

export function selectPrograms(programs: Program[], ids: string[]): Program[] {
  if (ids.length === 0) return programs;
  const res = ids.map(globToRegExp);
  return programs.filter((p) => res.some((r) => r.test(p.name)));
}

/** One run of one side: what the program showed, or that it did not finish in time. */
export type Run =
  | { kind: "exit"; stdout: string; code: number | null; signal: string | null; exception: string | null; stderr: string }
  | { kind: "timeout"; stdout: string; stderr: string }
  | { kind: "error"; message: string };

/** What is compared, one line each: stdout, then the exit status, then the exception that
 * ended the program (its type and message, as the last line of stderr shows it). */
export function transcript(run: Run): string[] {
  if (run.kind !== "exit") return [];
  const lines = stdoutLines(run.stdout);
  lines.push(run.signal !== null ? `[killed by ${run.signal}]` : `[exit ${run.code}]`);
  if (run.code !== 0 && run.exception !== null) lines.push(`[exception ${run.exception}]`);
  return lines;
}

// Both sides end an uncaught exception with one line "Type: message" on stderr, so that the
// exception is compared and not the two tracebacks. (Python's own last line is module-qualified,
// and an exception group's is the group's box; Node's is its version.) Its first argument is the
// loop: with uvloop's policy set first, every loop the program makes (asyncio.run's,
// new_event_loop's) is uvloop's.
const PY_MAIN = `
import os, runpy, sys, traceback
loop, path = sys.argv[1], sys.argv[2]
sys.argv = sys.argv[2:]
if loop == "uvloop":
    import asyncio, uvloop
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
try:
    runpy.run_path(path, run_name="__main__")
except SystemExit:
    raise
except BaseException as e:
    traceback.print_exc()
    sys.stdout.flush()
    text = str(e)
    sys.stderr.write(f"{type(e).__name__}: {text}\\n" if text else f"{type(e).__name__}\\n")
    sys.exit(1)
`;

const NODE_HOOK = `// Written by ts/conformance/programs.ts: an uncaught exception ends with "Type: message".
process.on("uncaughtException", (e) => {
  const name = e instanceof Error ? e.name : typeof e;
  const text = e instanceof Error ? e.message : String(e);
  process.stderr.write(String(e instanceof Error ? e.stack : e) + "\\n" + (text ? name + ": " + text : name) + "\\n");
  process.exit(1);
});
`;

function stdoutLines(stdout: string): string[] {
  const lines = stdout.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function lastExceptionLine(stderr: string): string | null {
  const lines = stderr.split("\n").filter((l) => l.trim() !== "");
  return lines.length > 0 ? lines[lines.length - 1] : null;
}

/** Runs a command in its own process group; on timeout the whole group is killed, so a hung
 * program (and any child it started) cannot outlive its run. */
export function runProcess(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs: number; cwd?: string }): Promise<Run> {
  return new Promise((resolve) => {
    const proc = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "", stderr = "", timedOut = false;
    proc.stdout.setEncoding("utf8").on("data", (d: string) => { stdout += d; });
    proc.stderr.setEncoding("utf8").on("data", (d: string) => { stderr = (stderr + d).slice(-20000); });
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-proc.pid!, "SIGKILL"); } catch { /* already gone */ }
    }, opts.timeoutMs);
    proc.on("error", (e) => { clearTimeout(timer); resolve({ kind: "error", message: `cannot start ${cmd}: ${e.message}` }); });
    proc.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolve({ kind: "timeout", stdout, stderr });
      else resolve({ kind: "exit", stdout, stderr, code, signal, exception: code === 0 ? null : lastExceptionLine(stderr) });
    });
  });
}

export function runPython(p: Program, timeoutMs: number, loop: PythonLoop = "asyncio"): Promise<Run> {
  const { cmd, env } = pythonCommand();
  return runProcess(cmd, ["-c", PY_MAIN, loop, p.py], { env: { ...env, PYTHONDONTWRITEBYTECODE: "1" }, timeoutMs });
}

/** What a run showed, as lines to compare: its transcript, or what it printed and why it ended. */
function shownRun(run: Run): string[] {
  if (run.kind === "exit") return transcript(run);
  if (run.kind === "error") return [`[error: ${run.message}]`];
  return [...stdoutLines(run.stdout), "[timeout]"];
}

/** A form's build step: TypeScript source in, an ES module out (or why the form cannot run). */
export type Compiler = (source: string, filename: string) => string;

type Transform = (source: string, filename: string, options?: { async?: boolean }) => { code: string };

/** tulip's compile step (dist/compile.js, from ts/compile.ts), or the reason it is missing. */
async function loadTransform(): Promise<Transform | string> {
  const path = join(ROOT, "dist", "compile.js");
  if (!existsSync(path)) return "tulip's compile step is not on this branch yet (dist/compile.js, from ts/compile.ts, is missing)";
  const mod = (await import(pathToFileURL(path).href)) as { transform?: Transform };
  return typeof mod.transform === "function" ? mod.transform : "dist/compile.js exports no transform()";
}

/** `raw`: the types stripped, the async functions kept — tulip's transform with `async: false`,
 * or TypeScript's transpileModule (ES2022) where the compile step is missing. */
export async function rawCompiler(): Promise<Compiler> {
  const transform = await loadTransform();
  if (typeof transform === "function") return (source, filename) => transform(source, filename, { async: false }).code;
  const ts = (await import("typescript")).default;
  return (source, filename) => ts.transpileModule(source, {
    fileName: filename,
    reportDiagnostics: false,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: false },
  }).outputText;
}

/** `compiled`: tulip's compile step, async functions into tulip coroutines (or why it cannot run). */
export async function tulipCompiler(): Promise<Compiler | string> {
  const transform = await loadTransform();
  return typeof transform === "function" ? (source, filename) => transform(source, filename).code : transform;
}

/** `ported`: the `.py` put through `tulip port` (ts/port/), then tulip's compile step; the `.ts` is not read. */
export async function portedCompiler(): Promise<Compiler | string> {
  const compile = await tulipCompiler();
  if (typeof compile === "string") return compile;
  const { portFile } = await import("../port/port.js");
  return (_source, filename) => {
    const r = portFile(filename.replace(/\.ts$/, ".py"));
    if ("error" in r) throw new Error(r.error);
    return compile(r.ts, filename);
  };
}

export async function defaultCompilers(): Promise<Record<Form, Compiler | string>> {
  return { raw: await rawCompiler(), compiled: await tulipCompiler(), ported: await portedCompiler() };
}

export function runTypeScript(p: Program, form: string, compile: Compiler, timeoutMs: number, buildDir = BUILD_DIR): Promise<Run> {
  const out = join(buildDir, form, `${p.name}.mjs`);
  const hook = join(buildDir, "_uncaught.mjs");
  try {
    mkdirSync(join(buildDir, form), { recursive: true });
    if (!existsSync(hook) || readFileSync(hook, "utf8") !== NODE_HOOK) writeFileSync(hook, NODE_HOOK);
    writeFileSync(out, compile(readFileSync(p.ts, "utf8"), p.ts));
  } catch (e) {
    return Promise.resolve({ kind: "error", message: `${form} build failed: ${e instanceof Error ? e.message : String(e)}` });
  }
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return runProcess(process.execPath, ["--no-warnings", "--import", pathToFileURL(hook).href, out], { env, timeoutMs });
}

function tail(s: string, n = 12): string {
  return s.split("\n").filter((l) => l !== "").slice(-n).join("\n");
}

/** Classify one program×form from the two runs (pure: the unit tests drive it too). */
export function classifyProgram(p: Program, form: string, ref: Run, got: Run, expectations: Expectations, ms = 0): Result {
  const id = `${p.name}:${form}`;
  let status: Status, message: string | null = null, diff: string | null = null;
  if (ref.kind !== "exit") {
    status = ref.kind === "timeout" ? "TIMEOUT" : "ERROR";
    message = `reference: ${ref.kind === "error" ? ref.message : "CPython timed out"}`;
  } else if (got.kind === "error") {
    status = "ERROR";
    message = got.message;
  } else if (got.kind === "timeout") {
    status = "TIMEOUT";
    message = `tulip timed out; stdout so far:\n${tail(got.stdout)}\nstderr:\n${tail(got.stderr)}`;
  } else {
    const a = transcript(ref), b = transcript(got);
    if (a.length === b.length && a.every((l, i) => l === b[i])) status = "PASS";
    else {
      status = "FAIL";
      diff = unifiedDiff(a, b, `cpython/${p.name}`, `tulip-${form}/${p.name}`);
      if (got.stderr.trim() !== "") message = `tulip's stderr:\n${tail(got.stderr)}`;
    }
  }
  const e = expectations.for(id);
  return {
    id, area: p.area, form: scenarioForm(form), status, expected: e?.status ?? null, reason: e?.reason ?? null,
    asExpected: status === (e?.status ?? "PASS"), message, diff, ms,
  };
}

/** A program's form as the scenario suite's reports name it: raw plain async functions are `plain`. */
function scenarioForm(form: string): import("./forms.js").Form {
  return form === "raw" ? "plain" : "compiled"; // ported runs compiled too
}

function skipped(p: Program, form: string, reason: string): Result {
  return { id: `${p.name}:${form}`, area: p.area, form: scenarioForm(form), status: "SKIP", expected: null, reason, asExpected: true, message: reason, diff: null, ms: 0 };
}

export interface ProgramRunOptions {
  jobs: number;
  timeoutMs: number;
  expectations: Expectations;
  forms?: readonly string[];
  /** Each form's build step, or the reason the form is skipped (default: defaultCompilers()). */
  compilers?: Record<string, Compiler | string>;
  /** Run each Python program this many times and report an ERROR if its output varies. */
  repeat?: number;
  buildDir?: string;
  progress?: (label: string, done: number, total: number) => void;
  /** `uvloop`: run each `.py` with uvloop as its loop too, and compare it with asyncio's run. */
  pythonLoop?: PythonLoop;
}

/**
 * Runs every program on CPython and in each form on tulip, `jobs` processes at a time; with
 * `pythonLoop: "uvloop"`, on uvloop too (`uvloop`; null otherwise). tulip is judged against the
 * asyncio run either way (uvloop.ts).
 */
export async function runPrograms(programs: Program[], opts: ProgramRunOptions): Promise<{ results: Result[]; uvloop: UvloopResult[] | null }> {
  const forms = opts.forms ?? FORMS;
  const compilers: Record<string, Compiler | string> = opts.compilers ?? await defaultCompilers();
  const repeat = Math.max(1, opts.repeat ?? 1);
  const refs = new Map<string, Run>();
  const got = new Map<string, { run: Run; ms: number }>();
  const onUvloop = new Map<string, Run>();
  type Job = () => Promise<void>;
  const jobs: Job[] = [];
  for (const p of programs) {
    if (opts.pythonLoop === "uvloop") jobs.push(async () => { onUvloop.set(p.name, await runPython(p, opts.timeoutMs, "uvloop")); });
    jobs.push(async () => {
      let first: Run | null = null;
      for (let i = 0; i < repeat; i++) {
        const r = await runPython(p, opts.timeoutMs);
        if (first === null) first = r;
        else if (transcript(r).join("\n") !== transcript(first).join("\n") || r.kind !== first.kind) {
          first = { kind: "error", message: `CPython's output varies between runs (run ${i + 1} of ${repeat}):\n` +
            unifiedDiff(transcript(first), transcript(r), "run 1", `run ${i + 1}`) };
          break;
        }
      }
      refs.set(p.name, first!);
    });
    for (const form of forms) {
      const c = compilers[form];
      if (typeof c !== "function" || opts.expectations.for(`${p.name}:${form}`)?.status === "SKIP") continue;
      jobs.push(async () => {
        const t0 = performance.now();
        const run = await runTypeScript(p, form, c, opts.timeoutMs, opts.buildDir);
        got.set(`${p.name}:${form}`, { run, ms: performance.now() - t0 });
      });
    }
  }
  let done = 0;
  const queue = [...jobs];
  await Promise.all(Array.from({ length: Math.max(1, opts.jobs) }, async () => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      await job();
      opts.progress?.("", ++done, jobs.length);
    }
  }));
  const results: Result[] = [];
  for (const form of forms) {
    for (const p of programs) {
      const c = compilers[form];
      if (typeof c !== "function") {
        results.push(skipped(p, form, c ?? `no build step for the form ${form}`));
        continue;
      }
      const e = opts.expectations.for(`${p.name}:${form}`);
      if (e?.status === "SKIP") {
        results.push({ ...skipped(p, form, e.reason), expected: "SKIP" });
        continue;
      }
      const g = got.get(`${p.name}:${form}`)!;
      results.push(classifyProgram(p, form, refs.get(p.name)!, g.run, opts.expectations, g.ms));
    }
  }
  if (opts.pythonLoop !== "uvloop") return { results, uvloop: null };
  const uvloop: UvloopResult[] = [];
  for (const p of programs) {
    const ref = refs.get(p.name)!;
    const run = async (loop: PythonLoop) => shownRun(await runPython(p, opts.timeoutMs, loop));
    uvloop.push(ref.kind !== "exit" ? skippedOnUvloop(p.name, p.area, "CPython asyncio gave no output to compare with")
      : await compareLoops(p.name, p.area, shownRun(ref), shownRun(onUvloop.get(p.name)!),
        { uvloop: () => run("uvloop"), asyncioOnRealClock: () => run("asyncio") }));
  }
  return { results, uvloop };
}

/** The form of a result id `NAME:FORM`. */
export function formOf(r: Result): string {
  return r.id.slice(r.id.lastIndexOf(":") + 1);
}

/** The reference's label: the Python that runs the `.py` side. */
export function pythonVersion(): string {
  const { cmd, env } = pythonCommand();
  const r = spawnSync(cmd, ["-c", "import platform; print(platform.python_version())"], { env, encoding: "utf8" });
  return `cpython ${r.stdout?.trim() || "?"}`;
}
