/**
 * `--python-loop asyncio|uvloop`: the event loop the Python side runs on. `asyncio`, the
 * default, is CPython's own loop, the reference; `uvloop` runs every scenario and paired
 * program on uvloop as well, to show where uvloop itself differs from CPython (uvloop.ts).
 */
import { spawnSync } from "node:child_process";
import { pythonCommand } from "./implementations.js";

export const PYTHON_LOOPS = ["asyncio", "uvloop"] as const;
export type PythonLoop = (typeof PYTHON_LOOPS)[number];

/** The flag's value, checked. */
export function parsePythonLoop(value: string): PythonLoop {
  if (!(PYTHON_LOOPS as readonly string[]).includes(value)) throw new Error(`--python-loop must be one of ${PYTHON_LOOPS.join(", ")}`);
  return value as PythonLoop;
}

/**
 * What the project's Python runs `loop` as (`uvloop 0.23.0`), asked before a run so that a
 * missing uvloop stops it at once with the Python side's own message (tulip_bridge/loops.py,
 * which names `pip install uvloop`) rather than failing every scenario and program.
 */
export function pythonLoopVersion(loop: PythonLoop): string {
  const { cmd, env } = pythonCommand();
  const r = spawnSync(cmd, ["-c", `from tulip_bridge.loops import loop_version; print(loop_version(${JSON.stringify(loop)}))`],
    { env, encoding: "utf8" });
  if (r.status === 0) return r.stdout.trim();
  const why = (r.stderr ?? "").trim().split("\n").pop() ?? "";
  throw new Error(r.error ? `cannot start ${cmd}: ${r.error.message}` : why.replace(/^[\w.]*LoopUnavailable: /, ""));
}
