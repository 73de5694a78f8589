/**
 * `tulip port`: Python asyncio programs into tulip TypeScript.
 *
 *   tulip port FILE.py [-o PATH|-] [--check] [--allow-todo]
 *   tulip port DIR -o DIR [--check] [--allow-todo]
 *
 * CPython parses (its own `ast`, in the project's Python: py/tulip_bridge/port.py, one process
 * for every file of a run) and writes the TypeScript; this module finds the files, writes the
 * results, and with `--check` runs each program on CPython and its port on tulip (through the
 * compile step, the coroutine form measured exact) and compares what they print, as the
 * conformance suite's `ported` form of the paired programs does. A construct with no faithful
 * translation stops its file with `file:line:col: cannot port <construct>: <why>` (exit 1);
 * `--allow-todo` writes a `todo()` call there instead, which throws when reached.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { pythonCommand } from "../conformance/implementations.js";

export const PORT_USAGE = "tulip port FILE.py|DIR [-o PATH|-] [--check] [--allow-todo]";

/** One file's port: its TypeScript, or the reason it does not port. */
export type PortResult = { file: string; ts: string } | { file: string; error: string };

/** Ports `files` in one CPython process (the project's venv Python). */
export function portFiles(files: string[], options: { allowTodo?: boolean } = {}): PortResult[] {
  if (files.length === 0) return [];
  const { cmd, env } = pythonCommand();
  const args = ["-m", "tulip_bridge.port", ...(options.allowTodo ? ["--allow-todo"] : []), ...files];
  const r = spawnSync(cmd, args, { env, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`tulip port: ${cmd} -m tulip_bridge.port failed: ${r.error?.message ?? r.stderr}`);
  return (JSON.parse(r.stdout) as { results: PortResult[] }).results;
}

/** Ports one file's text (written to a temporary path only in the message: the source is passed as is). */
export function portFile(file: string, options: { allowTodo?: boolean } = {}): PortResult {
  return portFiles([file], options)[0];
}

function pyFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    if (e === "node_modules" || e === "__pycache__" || e.startsWith(".")) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...pyFilesUnder(p));
    else if (p.endsWith(".py")) out.push(p);
  }
  return out;
}

interface PortArgs { src: string; out: string | null; check: boolean; allowTodo: boolean }

function parse(argv: string[]): PortArgs {
  const a: PortArgs = { src: "", out: null, check: false, allowTodo: false };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === "-o" || x === "--out") {
      if (argv[i + 1] === undefined) throw new Error("-o needs a path (or - for stdout)");
      a.out = argv[++i];
    } else if (x === "--check") a.check = true;
    else if (x === "--allow-todo") a.allowTodo = true;
    else if (x.startsWith("-") && x !== "-") throw new Error(`unknown option ${x}`);
    else if (a.src === "") a.src = x;
    else throw new Error(`tulip port takes one FILE or DIR (got ${a.src} and ${x})`);
  }
  if (a.src === "") throw new Error(`usage: ${PORT_USAGE}`);
  return a;
}

/** `tulip port …`: the exit status (0 when every file ported, and with --check matched). */
export async function portCommand(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (!existsSync(args.src)) throw new Error(`tulip port: no such file or directory: ${args.src}`);
  const isDir = statSync(args.src).isDirectory();
  if (isDir && (args.out === null || args.out === "-")) throw new Error("tulip port DIR needs -o DIR");
  const files = isDir ? pyFilesUnder(args.src) : [args.src];
  const t0 = performance.now();
  const results = portFiles(files, { allowTodo: args.allowTodo });
  const ms = performance.now() - t0;
  let failed = 0;
  const written: { py: string; ts: string }[] = [];
  for (const r of results) {
    if ("error" in r) {
      console.error(r.error);
      failed++;
      continue;
    }
    let target: string;
    if (isDir) target = join(args.out!, relative(args.src, r.file)).replace(/\.py$/, ".ts");
    else target = args.out ?? r.file.replace(/\.py$/, "") + ".ts";
    if (target === "-") {
      process.stdout.write(r.ts);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, r.ts);
    written.push({ py: r.file, ts: target });
  }
  if (args.out !== "-") {
    console.error(`tulip port: ${results.length - failed} of ${results.length} file(s) ported in ${(ms / 1000).toFixed(2)} s` +
      (failed ? `, ${failed} could not be` : ""));
  }
  if (args.check) {
    const { checkPorts } = await import("./check.js");
    const bad = await checkPorts(results.filter((r): r is { file: string; ts: string } => "ts" in r));
    failed += bad;
  }
  return failed === 0 ? 0 : 1;
}
