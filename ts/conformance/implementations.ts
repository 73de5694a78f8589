/**
 * The implementations the runner compares, each behind the same small protocol (after
 * bowtie): start, run a scenario, stop. tulip runs in process; CPython runs behind the
 * bridge (`python -m tulip_bridge serve --module tulip_bridge.conformance_bridge`), or in
 * `python -m tulip_bridge conformance-serve` speaking JSON lines on stdin/stdout; "golden"
 * reads the traces blessed from CPython. The Python implementations run on CPython's own
 * asyncio loop, or on uvloop when made with `"uvloop"` (python_loop.ts).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Worker } from "node:worker_threads";
import { runScenario, type Form } from "./forms.js";
import { Peer } from "../bridge/index.js";
import type { PythonLoop } from "./python_loop.js";
import { SPEC_DIR, goldenVersion, readGolden, type Scenario } from "./scenario.js";

export type Outcome =
  | { kind: "trace"; lines: string[] }
  | { kind: "error"; message: string }
  | { kind: "timeout"; message?: string };

export interface Implementation {
  readonly name: string;
  start(): Promise<void>;
  run(sc: Scenario, timeoutMs: number): Promise<Outcome>;
  stop(): Promise<void>;
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((res) => { timer = setTimeout(() => res(onTimeout()), ms); })])
    .finally(() => clearTimeout(timer));
}

/**
 * tulip itself, in this process, in one coroutine form (forms.ts). One scenario at a time: a
 * loop is the running loop. A step that never yields is stopped by the runtime's budget
 * (runtime.ts, Runaway) and reported as a timeout.
 */
export class TulipImplementation implements Implementation {
  readonly name: string;
  constructor(readonly form: Form = "generator") {
    this.name = form === "generator" ? "tulip" : `tulip (${form})`;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  run(sc: Scenario, timeoutMs: number): Promise<Outcome> {
    const run = runScenario(sc, this.form).then(
      (lines): Outcome => ({ kind: "trace", lines }),
      (e): Outcome => e instanceof Error && e.name === "Runaway" ? { kind: "timeout", message: e.message }
        : { kind: "error", message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) },
    );
    return withTimeout(run, timeoutMs, (): Outcome => ({ kind: "timeout" }));
  }
}

/**
 * tulip in a worker thread (worker.ts), behind a watchdog: a run that does not answer
 * `graceMs` after its own timeout (a synchronous loop the runtime's budgets cannot see), or
 * that runs the worker out of memory, is a timeout; the worker is replaced for the next run.
 */
export class IsolatedTulip implements Implementation {
  readonly name: string;
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private seq = 0;
  private readonly pending = new Map<number, (o: Outcome) => void>();

  constructor(readonly form: Form = "generator", private readonly opts: { preload?: string[]; memoryMb?: number; graceMs?: number } = {}) {
    this.name = new TulipImplementation(form).name;
  }

  async start(): Promise<void> {
    if (this.ready !== null) return this.ready;
    const worker = new Worker(new URL("./worker.js", import.meta.url), {
      workerData: { preload: this.opts.preload ?? [] },
      resourceLimits: { maxOldGenerationSizeMb: this.opts.memoryMb ?? 1024 },
    });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on("message", (m: { ready?: boolean; seq?: number; outcome?: Outcome }) => {
        if (m.ready) resolve();
        else this.settle(m.seq!, m.outcome!);
      });
      worker.on("error", (e) => {
        reject(e);
        const oom = (e as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY";
        this.failAll(oom ? { kind: "timeout", message: `tulip ran out of memory (${this.opts.memoryMb ?? 1024} MB): a step that never yields?` }
          : { kind: "error", message: `the tulip worker failed: ${e.message}` });
      });
      worker.on("exit", () => {
        if (this.worker === worker) this.worker = this.ready = null;
        this.failAll({ kind: "error", message: "the tulip worker exited" });
      });
    });
    return this.ready;
  }

  private settle(seq: number, o: Outcome): void {
    this.pending.get(seq)?.(o);
    this.pending.delete(seq);
  }

  private failAll(o: Outcome): void {
    for (const seq of [...this.pending.keys()]) this.settle(seq, o);
  }

  async run(sc: Scenario, timeoutMs: number): Promise<Outcome> {
    await this.start();
    const seq = ++this.seq;
    const worker = this.worker!;
    const answer = new Promise<Outcome>((resolve) => this.pending.set(seq, resolve));
    worker.postMessage({ seq, sc, form: this.form, timeoutMs });
    const grace = this.opts.graceMs ?? 2000;
    return withTimeout(answer, timeoutMs + grace, (): Outcome => {
      // Stuck in a synchronous loop: only terminating the thread stops it.
      this.pending.delete(seq);
      if (this.worker === worker) this.worker = this.ready = null;
      void worker.terminate();
      return { kind: "timeout", message: `tulip did not answer in ${(timeoutMs + grace) / 1000} s (its thread was stopped): a step that never yields?` };
    });
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = this.ready = null;
    await worker?.terminate();
  }
}

/**
 * A scenario may make coroutines that asyncio refuses (TaskGroup.create_task after exit); they
 * warn when collected. GC noise, not behaviour: the Python side filters the same warning.
 */
export function quietNeverAwaited(): void {
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: any[]) => {
    if (String(warning).includes("was never awaited")) return;
    emitWarning(warning as string, ...rest);
  }) as typeof process.emitWarning;
}

/** The traces blessed from CPython (spec/golden/). */
export class GoldenImplementation implements Implementation {
  readonly name = `cpython ${goldenVersion() ?? "?"} (golden)`;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async run(sc: Scenario): Promise<Outcome> {
    const lines = readGolden(sc.id);
    return lines === null ? { kind: "error", message: `no golden trace (run: tulip conformance bless)` } : { kind: "trace", lines };
  }
}

/** The project's Python: the venv's (npm test/npm run conformance make it), else python3. */
export function pythonCommand(): { cmd: string; env: NodeJS.ProcessEnv } {
  const root = join(SPEC_DIR, "..");
  const venv = join(root, ".venv", "bin", "python");
  if (existsSync(venv)) return { cmd: venv, env: process.env };
  return { cmd: "python3", env: { ...process.env, PYTHONPATH: join(root, "py") } };
}

/** How the Python side runs one scenario (each optional; loop: the implementation's own). */
export interface PythonRun {
  /** CPython iterates sets of tasks in a random order (a determinism probe). */
  shuffleSeed?: number | null;
  loop?: PythonLoop;
  /** On the machine's clock even where the scenario is written for the virtual one (uvloop.ts's control). */
  realClock?: boolean;
}

/** CPython asyncio (or uvloop) through `python -m tulip_bridge conformance-serve`. */
export class PythonImplementation implements Implementation {
  readonly name: string;
  private proc: ChildProcessWithoutNullStreams | null = null;
  private seq = 0;
  private pending = new Map<number, (reply: any) => void>();
  private stderr = "";
  version = "";

  constructor(readonly loop: PythonLoop = "asyncio") {
    this.name = loop === "asyncio" ? "cpython" : `cpython (${loop})`;
  }

  async start(): Promise<void> {
    const { cmd, env } = pythonCommand();
    const proc = spawn(cmd, ["-m", "tulip_bridge", "conformance-serve"], { env, stdio: ["pipe", "pipe", "pipe"] });
    this.proc = proc;
    proc.stderr.on("data", (d) => { this.stderr = (this.stderr + d).slice(-4000); });
    const exited = new Promise<never>((_, rej) => {
      proc.on("error", (e) => rej(new Error(`cannot start ${cmd}: ${e.message}`)));
      proc.on("exit", (code) => {
        for (const resolve of this.pending.values()) resolve({ error: { type: "Exited", message: `python exited (${code}): ${this.stderr}` } });
        this.pending.clear();
        rej(new Error(`python exited (${code}): ${this.stderr}`));
      });
    });
    exited.catch(() => {});
    createInterface({ input: proc.stdout }).on("line", (line) => {
      const reply = JSON.parse(line);
      const key = typeof reply.seq === "number" ? reply.seq : -1;
      this.pending.get(key)?.(reply);
      this.pending.delete(key);
    });
    const hello = await Promise.race([this.request({ cmd: "start", loop: this.loop }, -1), exited]);
    if (hello.error) {
      await this.stop();
      throw new Error(hello.error.message);
    }
    this.version = hello.implementation?.version ?? "";
  }

  private request(msg: object, seq: number): Promise<any> {
    return new Promise((resolve) => {
      this.pending.set(seq, resolve);
      this.proc!.stdin.write(JSON.stringify(msg) + "\n");
    });
  }

  async run(sc: Scenario, timeoutMs: number, { shuffleSeed = null, loop = this.loop, realClock = false }: PythonRun = {}): Promise<Outcome> {
    const seq = ++this.seq;
    const msg = { cmd: "run", seq, scenario: sc, loop, real_clock: realClock, ...(shuffleSeed === null ? {} : { shuffle_seed: shuffleSeed }) };
    const reply = await withTimeout(this.request(msg, seq), timeoutMs, () => null);
    if (reply === null) {
      // A stuck interpreter cannot be interrupted: replace the process.
      this.pending.delete(seq);
      this.proc?.kill();
      await this.start();
      return { kind: "timeout" };
    }
    if (reply.error) return { kind: "error", message: `${reply.error.type}: ${reply.error.message}` };
    return { kind: "trace", lines: reply.trace };
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (proc === null) return;
    this.proc = null;
    proc.removeAllListeners("exit");
    await new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.stdin.end(JSON.stringify({ cmd: "stop" }) + "\n");
      setTimeout(() => proc.kill(), 2000).unref();
    });
  }
}

/** CPython asyncio (or uvloop) behind the bridge: a `serve` process and a Peer connected to it. */
export class BridgePythonImplementation implements Implementation {
  readonly name: string;
  private proc: ChildProcessWithoutNullStreams | null = null;
  private peer: Peer | null = null;
  version = "";

  constructor(readonly loop: PythonLoop = "asyncio") {
    this.name = new PythonImplementation(loop).name;
  }

  async start(): Promise<void> {
    const { cmd, env } = pythonCommand();
    const proc = spawn(cmd, ["-m", "tulip_bridge", "serve", "--bind", "tcp://127.0.0.1:0", "--module", "tulip_bridge.conformance_bridge"],
      { env, stdio: ["pipe", "pipe", "pipe"] });
    this.proc = proc;
    let stderr = "";
    proc.stderr.on("data", (d) => { stderr = (stderr + d).slice(-4000); });
    const endpoint = await new Promise<string>((resolve, reject) => {
      proc.on("error", (e) => reject(new Error(`cannot start ${cmd}: ${e.message}`)));
      proc.on("exit", (code) => reject(new Error(`python exited (${code}): ${stderr}`)));
      createInterface({ input: proc.stdout }).on("line", (line) => {
        if (line.startsWith("READY ")) resolve(line.slice(6).trim());
      });
    });
    this.peer = await Peer.connect(endpoint);
    try {
      this.version = ((await this.peer.call("conformance.implementation", this.loop)) as { version: string }).version;
    } catch (e) {
      await this.stop(); // uvloop missing: the message names `pip install uvloop`
      throw e;
    }
  }

  async run(sc: Scenario, timeoutMs: number, { shuffleSeed = null, loop = this.loop, realClock = false }: PythonRun = {}): Promise<Outcome> {
    try {
      const lines = await this.peer!.invoke<string[]>("conformance.run", {
        args: [sc, shuffleSeed, loop, realClock], timeout: timeoutMs / 1000,
      });
      return { kind: "trace", lines };
    } catch (e) {
      if (e instanceof Error && e.name === "TimeoutError") {
        // The worker thread cannot be interrupted: replace the process.
        await this.stop();
        await this.start();
        return { kind: "timeout" };
      }
      return { kind: "error", message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  }

  async stop(): Promise<void> {
    const peer = this.peer, proc = this.proc;
    this.peer = null;
    this.proc = null;
    await peer?.close();
    if (proc !== null && proc.exitCode === null) {
      proc.removeAllListeners("exit");
      await new Promise<void>((resolve) => {
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
        setTimeout(() => proc.kill("SIGKILL"), 3000).unref();
      });
    }
  }
}
