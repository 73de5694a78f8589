// tulip port's speed (issue 17, item 4: "porting a 1,000-line file takes < 2 s"): wall-clock
// seconds, best of 5 after a warm-up, for
//   - a generated 1,000-line file of varied asyncio code (workers, classes, comprehensions,
//     try/except, f-strings, async with/for), through portFiles() (one CPython process: its
//     start, the parse, the translation, the JSON back);
//   - the same file through the whole command, `node dist/cli.js port FILE -o -` (Node's start
//     and tulip's imports included), what a user waits for;
//   - every spec/programs/*.py and spec/public/*.py in one portFiles() call (one process for all).
// The table gives each against the 2 s budget; the run fails if the 1,000-line command misses it.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./_harness.mjs";
import { portFiles } from "../dist/port/port.js";

const BUDGET_S = 2;
const chunk = (i) => `
class Stage${i}:
    """Stage ${i}: a worker pool step."""

    def __init__(self, name="s${i}", limit=3):
        self.name = name
        self.limit = asyncio.Semaphore(limit)
        self.seen = {}

    async def handle(self, q, results):
        while not q.empty():
            item = q.get_nowait()
            async with self.limit:
                try:
                    await asyncio.sleep(0)
                    results.append(f"{self.name}: {item * 2:>4}")
                except (ValueError, KeyError) as e:
                    raise RuntimeError(str(e)) from e
                finally:
                    q.task_done()
        return {k: v for k, v in enumerate(results) if k % 2 == 0}


async def run_stage_${i}(n):
    q = asyncio.Queue()
    for x in range(n):
        q.put_nowait(x)
    stage = Stage${i}()
    results = []
    done = await asyncio.gather(stage.handle(q, results), stage.handle(q, results), return_exceptions=True)
    evens = [r for r in results if "0" in r][:3]
    print(stage.name, len(results), evens, sorted(done[0].keys()) if isinstance(done[0], dict) else None)
`;
const lines = ["import asyncio", ""];
let i = 0;
while (lines.join("\n").split("\n").length < 1000) lines.push(chunk(i++));
lines.push("async def main():", ...Array.from({ length: i }, (_, k) => `    await run_stage_${k}(4)`), "", "asyncio.run(main())", "");
const source = lines.join("\n");
const dir = join(root, "build", "bench-port");
mkdirSync(dir, { recursive: true });
const file = join(dir, "big.py");
writeFileSync(file, source);
const nLines = source.split("\n").length;

function best(fn, repeat = 5) {
  fn();
  let b = Infinity;
  for (let k = 0; k < repeat; k++) {
    const t0 = performance.now();
    fn();
    b = Math.min(b, (performance.now() - t0) / 1000);
  }
  return b;
}

const one = portFiles([file])[0];
if ("error" in one) throw new Error(`the generated file does not port: ${one.error}`);
const tsLines = one.ts.split("\n").length;
const inProcess = best(() => portFiles([file]));
const command = best(() => {
  const r = spawnSync(process.execPath, [join(root, "dist", "cli.js"), "port", file, "-o", "-"], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
});
const corpus = ["programs", "public"].flatMap((d) => readdirSync(join(root, "spec", d)).filter((f) => f.endsWith(".py")).map((f) => join(root, "spec", d, f)));
const corpusLines = corpus.reduce((n, f) => n + readFileSync(f, "utf8").split("\n").length, 0);
const all = best(() => portFiles(corpus));

console.log(`| case | lines | seconds | budget ${BUDGET_S} s |`);
console.log("|---|---|---|---|");
const row = (name, n, s) => console.log(`| ${name} | ${n} | ${s.toFixed(3)} | ${s < BUDGET_S ? "within" : "**over**"} |`);
row(`1,000-line file, portFiles() (→ ${tsLines} lines of TypeScript)`, nLines, inProcess);
row("1,000-line file, `tulip port FILE -o -` (Node's start included)", nLines, command);
row(`${corpus.length} files (spec/programs, spec/public), one portFiles()`, corpusLines, all);
if (command >= BUDGET_S) process.exit(1);
