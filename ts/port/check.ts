/**
 * `tulip port --check`: each ported program run on CPython (the `.py`) and on tulip (its port,
 * through tulip's compile step), their stdout, exit status and ending exception compared, as
 * the paired programs are (ts/conformance/programs.ts).
 */
import { basename, join } from "node:path";
import { unifiedDiff } from "../conformance/diff.js";
import { BUILD_DIR, runPython, runTypeScript, transcript, tulipCompiler, type Program } from "../conformance/programs.js";

/** Runs each port beside its Python; prints a diff per difference; returns how many differ. */
export async function checkPorts(ports: { file: string; ts: string }[], timeoutMs = 10_000): Promise<number> {
  const compile = await tulipCompiler();
  if (typeof compile === "string") throw new Error(`tulip port --check: ${compile}`);
  let bad = 0;
  for (const r of ports) {
    const name = basename(r.file).replace(/\.py$/, "");
    // the source compiled is the port itself, so the Program's .ts is the .py (read, then ignored)
    const p: Program = { name, area: "port", py: r.file, ts: r.file };
    const [ref, got] = await Promise.all([
      runPython(p, timeoutMs),
      runTypeScript(p, "check", (_source, filename) => compile(r.ts, filename.replace(/\.py$/, ".ts")), timeoutMs, join(BUILD_DIR, "..", "port")),
    ]);
    const a = ref.kind === "exit" ? transcript(ref) : [`[${ref.kind}]`];
    const b = got.kind === "exit" ? transcript(got) : [got.kind === "error" ? `[error: ${got.message}]` : "[timeout]"];
    if (a.length === b.length && a.every((l, i) => l === b[i])) {
      console.log(`SAME ${r.file}`);
    } else {
      bad++;
      console.log(`DIFFERS ${r.file}\n${unifiedDiff(a, b, `cpython/${name}`, `tulip-port/${name}`)}`);
    }
  }
  console.log(`tulip port --check: ${ports.length - bad} of ${ports.length} port(s) print what CPython prints`);
  return bad;
}
