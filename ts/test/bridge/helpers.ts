// Real peers in real processes for the bridge tests: Python peers via `python -m tulip_bridge
// serve`, one-shot Python scripts, and helpers to wait for events without sleeping.
import { spawn, execFile, execFileSync, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
export const venvPython = join(root, ".venv", "bin", "python");
export const fixtures = join(root, "py", "tests", "fixtures");
const pyEnv = { ...process.env, PYTHONPATH: [fixtures, join(root, "py")].join(":") };

export interface PyPeer {
  proc: ChildProcess;
  endpoint: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** Resolves once its stderr matches `re` (a safety-net timeout of 10 s). */
  waitForStderr(re: RegExp): Promise<void>;
}

/** Starts `python -m tulip_bridge serve` with the test fixtures; resolves once it is listening. */
export async function startPython(args: string[], { heartbeat = 2 } = {}): Promise<PyPeer> {
  const proc = spawn(venvPython, ["-m", "tulip_bridge", "serve", "--module", "bridge_funcs", "--heartbeat", String(heartbeat), ...args],
    { env: pyEnv, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  proc.stderr!.on("data", (d) => {
    stderr += d;
    if (process.env.BRIDGE_DEBUG) process.stderr.write(d);
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout! });
    rl.once("line", resolve);
    proc.once("exit", (code) => reject(new Error(`python peer exited (${code}) before READY:\n${stderr}`)));
  });
  return {
    proc,
    endpoint: line.replace(/^READY /, ""),
    stderr: () => stderr,
    waitForStderr: (re) => new Promise<void>((resolve, reject) => {
      if (re.test(stderr)) return resolve();
      const t = setTimeout(() => reject(new Error(`stderr never matched ${re}:\n${stderr}`)), 10_000);
      const check = () => {
        if (!re.test(stderr)) return;
        clearTimeout(t);
        proc.stderr!.off("data", check);
        resolve();
      };
      proc.stderr!.on("data", check);
    }),
    async stop(signal = "SIGTERM") {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
  };
}

/** Runs a Python snippet without blocking this process's event loop (so peers here keep serving). */
export function pyAsync(code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(venvPython, ["-c", code], { env: pyEnv, encoding: "utf8" }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout));
  });
}

/** Runs a Python snippet with the venv's python; returns its stdout. */
export function py(code: string, input?: string): string {
  return execFileSync(venvPython, ["-c", code], { env: pyEnv, input, encoding: "utf8" });
}

/** Collects events reported by a Python function (via the `report` callback) and waits for them. */
export class Events {
  readonly list: unknown[][] = [];
  private waiters: Array<() => void> = [];
  push = (...e: unknown[]): void => {
    this.list.push(e);
    for (const w of this.waiters.splice(0)) w();
  };
  /** Resolves when `pred` holds for some event (rejects after `timeout` s, a safety net). */
  async waitFor(pred: (e: unknown[]) => boolean, timeout = 10): Promise<unknown[]> {
    const deadline = Date.now() + timeout * 1000;
    for (;;) {
      const hit = this.list.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`event not seen; got ${JSON.stringify(this.list)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now() + 1);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

/** An ipc:// endpoint in the temp dir, unique to this run. */
export function ipcEndpoint(tag: string): string {
  return `ipc:///tmp/tulip-bridge-${process.pid}-${tag}-${Math.random().toString(36).slice(2)}`;
}

/** A free loopback TCP port (bound by the OS, then released). */
export async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function settle<T>(p: PromiseLike<T>): Promise<{ ok: true; value: T } | { ok: false; error: any }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}
