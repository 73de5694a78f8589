/**
 * Differential tests against CPython 3.11: each scenario is one program written twice, in
 * Python and in TypeScript, side by side. The Python versions all run in one `python3`
 * process (the venv's, else the system's), the TypeScript versions on tulip, and each test
 * compares the printed lines. So every expectation is what CPython really printed.
 *
 * Both sides print with `out(...args)`: strings as they are, anything else as Python's repr
 * (`True`, `None`, `[1, 2]`, an object's repr/toString), joined by spaces; `exc(e)` formats
 * an exception as `TypeName: message`. Object addresses print as `0x…` on both sides.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as asyncio from "../../asyncio/index.js";
import { repr } from "../../asyncio/format_helpers.js";
import { VirtualTimeLoop } from "../../testing.js";

export type Out = (...args: unknown[]) => void;

export interface Scenario {
  name: string;
  /** Python source defining `async def main()` (and optionally `main2()`, run on a second loop). */
  py: string;
  /** The same program on tulip. Run as a lazy coroutine on a fresh virtual-time loop. */
  main: (out: Out) => unknown;
  /** Run after `main`, on another fresh loop (for loop-binding checks). */
  main2?: (out: Out) => unknown;
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

const DRIVER = String.raw`
import asyncio, json, re, sys, textwrap

def _fmt(a):
    return a if isinstance(a, str) else repr(a)

def exc(e):
    return f"{type(e).__name__}: {e}"

results = {}
for name, src in json.load(sys.stdin).items():
    lines = []
    def out(*args):
        lines.append(" ".join(_fmt(a) for a in args))
    ns = {"asyncio": asyncio, "out": out, "exc": exc}
    exec(textwrap.dedent(src), ns)
    for entry in ("main", "main2"):
        if entry not in ns:
            continue
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(ns[entry]())
        except BaseException as e:
            out(f"{entry} raised {exc(e)}")
        finally:
            loop.close()
    results[name] = [re.sub(r" at 0x[0-9a-f]+", " at 0x…", l) for l in lines]
json.dump({"version": list(sys.version_info[:2]), "results": results}, sys.stdout)
`;

/** The python to run: the project's venv (what `npm test` sets up), else python3 on PATH. */
export function pythonExe(): string {
  const venv = join(root, ".venv", "bin", "python");
  return existsSync(venv) ? venv : "python3";
}

/** Runs every scenario's Python side in one CPython process; returns the printed lines by name. */
export function runCPython(scenarios: Scenario[]): Record<string, string[]> {
  const input = JSON.stringify(Object.fromEntries(scenarios.map((s) => [s.name, s.py])));
  const r = spawnSync(pythonExe(), ["-c", DRIVER], { input, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`CPython failed (${r.status}): ${r.stderr}`);
  const { version, results } = JSON.parse(r.stdout) as { version: number[]; results: Record<string, string[]> };
  if (version.join(".") !== "3.11") throw new Error(`expectations must come from CPython 3.11, got ${version.join(".")}`);
  return results;
}

/** Python's `f"{type(e).__name__}: {e}"`. */
export function exc(e: unknown): string {
  const err = e as Error;
  return `${err?.name}: ${err?.message}`;
}

const fmt = (a: unknown) => (typeof a === "string" ? a : repr(a));

/** Runs a scenario's TypeScript side; returns its printed lines, addresses normalized. */
export async function runTs(s: Scenario): Promise<string[]> {
  const lines: string[] = [];
  const out: Out = (...args) => lines.push(args.map(fmt).join(" "));
  for (const [entry, fn] of [["main", s.main], ["main2", s.main2]] as const) {
    if (fn === undefined) continue;
    const loop = new VirtualTimeLoop();
    asyncio.set_event_loop(loop);
    // A deadlocked scenario would keep its loop (and Jest) waiting forever: stop it instead,
    // so the test fails with "Event loop stopped before Future completed."
    const guard = setTimeout(() => loop.stop(), 5000);
    try {
      await loop.run_until_complete(() => fn(out) as asyncio.Awaitable<unknown>);
    } catch (e) {
      out(`${entry} raised ${exc(e)}`);
    } finally {
      clearTimeout(guard);
      loop.close();
      asyncio.set_event_loop(null);
    }
  }
  return lines.map((l) => l.replace(/ at 0x[0-9a-f]+/g, " at 0x…"));
}

/**
 * Registers one Jest test per scenario, comparing tulip's lines with CPython's. A scenario
 * whose Python side printed nothing is a broken test, not a pass.
 */
export function compareWithCPython(scenarios: Scenario[]): void {
  let expected: Record<string, string[]> = {};
  beforeAll(() => {
    expected = runCPython(scenarios);
  });
  for (const s of scenarios) {
    test(s.name, async () => {
      const want = expected[s.name];
      // SHOW_CPYTHON=1 npm test: see what CPython printed.
      if (process.env.SHOW_CPYTHON) console.log(`${s.name}\n  ${want?.join("\n  ")}`);
      expect(want?.length).toBeGreaterThan(0);
      expect(await runTs(s)).toEqual(want);
    });
  }
}
