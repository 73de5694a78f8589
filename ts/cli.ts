#!/usr/bin/env node
/**
 * The `tulip` command.
 *
 *   tulip conformance [run] [--mode live|golden] [--id GLOB]… [--feature TAG]… [--jobs N]
 *                     [--timeout SECONDS] [--json FILE] [--html FILE] [--transport bridge|stdio] [--no-progress]
 *   tulip conformance bless [--id GLOB]…
 *   tulip conformance fuzz [--seed S] [--count N] [--out DIR]
 *   tulip conformance programs [--id NAME]… [--form raw|compiled]… [--jobs N] [--timeout SECONDS] [--repeat N]
 *   tulip compile SRC… -o OUT            async functions into tulip coroutines (ts/compile.ts)
 *
 * `live` (the default) runs every scenario on CPython now (the project's .venv Python,
 * started by the runner and reached over the bridge, or with `--transport stdio` through
 * JSON lines on a pipe) and on tulip; `golden` compares with the traces blessed from CPython (spec/golden/), for
 * machines without Python. `bless` rewrites those goldens from CPython. `programs` runs the
 * paired programs of spec/programs/ (ts/conformance/programs_command.ts).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Expectations } from "./conformance/expectations.js";
import { pythonCommand } from "./conformance/implementations.js";
import { count, details, runConformance, table, unexpected, writeJson, type Mode } from "./conformance/runner.js";
import { SPEC_DIR, goldenVersion, loadScenarios, select } from "./conformance/scenario.js";
import { fuzz } from "./conformance/fuzz.js";
import { htmlReport } from "./conformance/html.js";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, relative } from "node:path";
import { transform } from "./compile.js";
import { PROGRAMS_USAGE, programsCommand } from "./conformance/programs_command.js";

const USAGE = `usage: tulip conformance [run|bless] [--mode live|golden] [--id GLOB]... [--feature TAG]...
                         [--jobs N] [--timeout SECONDS] [--json FILE] [--no-progress]
       tulip conformance fuzz [--seed S] [--count N] [--out DIR]
       ${PROGRAMS_USAGE}
       tulip compile SRC... -o OUT   (files or folders; .ts/.mts/.js/.mjs → .js/.mjs with source maps)`;

interface Args {
  command: "run" | "bless" | "fuzz";
  seed: number;
  count: number;
  out: string;
  mode: Mode;
  ids: string[];
  features: string[];
  jobs: number;
  timeout: number;
  json: string;
  html: string;
  transport: "bridge" | "stdio";
  progress: boolean;
}

function parse(argv: string[]): Args {
  const a: Args = {
    command: "run", mode: "live", seed: 1, count: 100, out: join(SPEC_DIR, "..", "reports", "fuzz"), ids: [], features: [], jobs: 2, timeout: 10,
    json: join(SPEC_DIR, "..", "reports", "conformance.json"),
    html: join(SPEC_DIR, "..", "reports", "conformance.html"), transport: "bridge", progress: process.stderr.isTTY === true,
  };
  const rest = [...argv];
  if (rest[0] === "run" || rest[0] === "bless" || rest[0] === "fuzz") a.command = rest.shift() as Args["command"];
  while (rest.length > 0) {
    const flag = rest.shift()!;
    const value = (): string => {
      const v = rest.shift();
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === "--mode") a.mode = value() as Mode;
    else if (flag === "--golden") a.mode = "golden";
    else if (flag === "--id") a.ids.push(value());
    else if (flag === "--feature") a.features.push(value());
    else if (flag === "--jobs" || flag === "-j") a.jobs = Number(value());
    else if (flag === "--timeout") a.timeout = Number(value());
    else if (flag === "--json") a.json = value();
    else if (flag === "--html") a.html = value();
    else if (flag === "--transport") a.transport = value() as Args["transport"];
    else if (flag === "--no-progress") a.progress = false;
    else if (flag === "--seed") a.seed = Number(value());
    else if (flag === "--count") a.count = Number(value());
    else if (flag === "--out") a.out = value();
    else throw new Error(`unknown option ${flag}`);
  }
  if (a.mode !== "live" && a.mode !== "golden") throw new Error(`--mode must be live or golden`);
  if (!(a.jobs >= 1)) throw new Error("--jobs must be at least 1");
  if (a.transport !== "bridge" && a.transport !== "stdio") throw new Error("--transport must be bridge or stdio");
  return a;
}

async function conformance(argv: string[]): Promise<number> {
  if (argv[0] === "programs") return programsCommand(argv.slice(1));
  const args = parse(argv);
  if (args.command === "bless") {
    const { cmd, env } = pythonCommand();
    const py = spawnSync(cmd, ["-m", "tulip_bridge", "conformance-bless", ...args.ids.flatMap((i) => ["--id", i]),
      ...args.features.flatMap((f) => ["--feature", f])], { env, stdio: "inherit" });
    return py.status ?? 1;
  }
  if (args.command === "fuzz") {
    const r = await fuzz(args.seed, args.count, args.out, (line) => console.log(line));
    console.log(`fuzz --seed ${r.seed} --count ${r.count}: ${r.identical} identical, ${r.differing.length} differing ` +
      `(shrunk into ${args.out}), ${r.invalid.length} invalid, ${r.notReproducible} not reproducible on CPython, ` +
      `in ${r.seconds.toFixed(1)} s`);
    for (const id of r.invalid) console.log(`invalid (the CPython interpreter refused it): ${id}`);
    return r.differing.length === 0 && r.invalid.length === 0 ? 0 : 1;
  }
  const scenarios = select(loadScenarios(), args.ids, args.features);
  if (scenarios.length === 0) {
    console.error("no scenario matches the filters");
    return 2;
  }
  const expectations = Expectations.load("tulip");
  const t0 = performance.now();
  const { results, reference } = await runConformance(scenarios, {
    mode: args.mode, jobs: args.jobs, timeoutMs: args.timeout * 1000, expectations, progress: args.progress, transport: args.transport,
  });
  const seconds = (performance.now() - t0) / 1000;
  const c = count(results);
  const bad = unexpected(results);
  const text = details(results);
  if (text) console.log(text + "\n");
  console.log(table(results));
  const ran = c.total - c.skip;
  const parity = ran === 0 ? 0 : (100 * (c.pass + c.fixed)) / ran;
  console.log(`\ntulip vs ${reference}: ${c.pass + c.fixed}/${ran} identical traces (${parity.toFixed(1)}%), ` +
    `${c.known} known differences, ${bad.length} unexpected, in ${seconds.toFixed(1)} s`);
  const blessed = goldenVersion();
  if (args.mode === "live" && blessed !== null && !reference.includes(` ${blessed} `)) {
    console.log(`note: the goldens were blessed from CPython ${blessed}, this run compares with ${reference}; ` +
      `patch releases differ (3.11.2 and 3.11.7 do, on timeouts and TaskGroup messages)`);
  }
  writeJson(args.json, {
    implementation: "tulip", reference, mode: args.mode, seconds, counts: c, parity,
    results: results.map(({ diff, ...r }) => ({ ...r, diff })),
  });
  writeFileSync(args.html, htmlReport(results, { reference, mode: args.mode, seconds }));
  console.log(`results: ${args.json}, report: ${args.html}`);
  return bad.length === 0 ? 0 : 1;
}

// A scenario may make coroutines that asyncio refuses (TaskGroup.create_task after exit); they
// warn when collected. GC noise, not behaviour: the Python side filters the same warning.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: any[]) => {
  if (String(warning).includes("was never awaited")) return;
  emitWarning(warning as string, ...rest);
}) as typeof process.emitWarning;

/**
 * `tulip compile SRC… -o OUT`: the build-time form of `tulip/register`. Each source file (a
 * folder's, recursively, node_modules excepted) is written under OUT at its path relative to
 * its SRC argument, `.ts` as `.js` and `.mts` as `.mjs`, with a `.map` beside it.
 */
function compileCommand(argv: string[]): number {
  const srcs: string[] = [];
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "-o" || argv[i] === "--out") out = argv[++i] ?? null;
    else srcs.push(argv[i]);
  }
  if (out === null || srcs.length === 0) throw new Error("compile needs SRC... and -o OUT");
  const SOURCE = /\.(ts|mts|js|mjs)$/;
  let n = 0;
  const one = (file: string, base: string) => {
    if (file.endsWith(".d.ts") || file.endsWith(".d.mts")) return;
    const target = join(out!, relative(base, file)).replace(/\.ts$/, ".js").replace(/\.mts$/, ".mjs");
    const { code, map } = transform(readFileSync(file, "utf8"), file, { sourceMaps: true });
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, `${code}\n//# sourceMappingURL=${basename(target)}.map\n`);
    writeFileSync(`${target}.map`, JSON.stringify(map));
    n++;
  };
  const walk = (p: string, base: string) => {
    if (statSync(p).isDirectory()) {
      for (const e of readdirSync(p)) if (e !== "node_modules") walk(join(p, e), base);
    } else if (SOURCE.test(p)) one(p, base);
  };
  for (const s of srcs) walk(s, statSync(s).isDirectory() ? s : dirname(s));
  console.log(`tulip compile: ${n} file(s) into ${out}`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "conformance") return conformance(argv.slice(1));
  if (argv[0] === "compile") return compileCommand(argv.slice(1));
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { console.error(e instanceof Error ? e.message : e); console.error(USAGE); process.exitCode = 2; },
);
