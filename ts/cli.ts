#!/usr/bin/env node
/**
 * The `tulip` command.
 *
 *   tulip conformance [run] [--mode live|golden] [--id GLOB]… [--feature TAG]… [--jobs N]
 *                     [--form generator|lazy|plain|compiled|all]… [--timeout SECONDS] [--json FILE]
 *                     [--html FILE] [--transport bridge|stdio] [--no-progress] [--in-process]
 *                     [--python-loop asyncio|uvloop]
 *   tulip conformance bless [--id GLOB]…
 *   tulip conformance fuzz [--seed S] [--count N] [--out DIR] [--form …]… [--python-loop asyncio|uvloop]
 *   tulip conformance source --form lazy|plain|compiled --id GLOB   (the generated JavaScript)
 *   tulip conformance expectations --form F [--golden] [--seed S --count N] [--write]
 *                     (list F's differences by symptom; --write puts them in spec/expectations/tulip.json)
 *   tulip conformance programs [--id NAME]… [--form raw|compiled]… [--jobs N] [--timeout SECONDS] [--repeat N]
 *   tulip compile SRC… -o OUT            async functions into tulip coroutines (ts/compile.ts)
 *   tulip port FILE.py|DIR [-o PATH|-] [--check] [--allow-todo]   Python asyncio into tulip TypeScript (ts/port/)
 *
 * `live` (the default) runs every scenario on CPython now (the project's .venv Python,
 * started by the runner and reached over the bridge, or with `--transport stdio` through
 * JSON lines on a pipe) and on tulip; `golden` compares with the traces blessed from CPython (spec/golden/), for
 * machines without Python. `bless` rewrites those goldens from CPython. Each scenario runs in
 * every coroutine form (ts/conformance/forms.ts) unless `--form` picks some. tulip runs in a
 * worker thread behind a watchdog (a step that never yields is a TIMEOUT, not a hang) unless
 * `--in-process`. `--python-loop uvloop` runs the Python side on uvloop as well and reports
 * where uvloop differs from CPython's asyncio (ts/conformance/uvloop.ts). `programs` runs the
 * paired programs of spec/programs/ (ts/conformance/programs_command.ts).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Expectations } from "./conformance/expectations.js";
import { pythonCommand, quietNeverAwaited } from "./conformance/implementations.js";
import { FORMS, isForm, sourceOf, type Form } from "./conformance/forms.js";
import { count, details, formTable, formTotals, formsOf, runConformance, table, unexpected, writeJson, type Mode, type Result } from "./conformance/runner.js";
import { SPEC_DIR, goldenVersion, loadScenarios, select } from "./conformance/scenario.js";
import { fuzz } from "./conformance/fuzz.js";
import { expectationsFor, writeExpectations } from "./conformance/expect.js";
import { htmlReport } from "./conformance/html.js";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, relative } from "node:path";
import { transform } from "./compile.js";
import { PROGRAMS_USAGE, programsCommand } from "./conformance/programs_command.js";
import { eachFlag } from "./conformance/flags.js";
import { parsePythonLoop, pythonLoopVersion, type PythonLoop } from "./conformance/python_loop.js";
import { uvloopJson, uvloopSection, uvloopSummary } from "./conformance/uvloop.js";

const USAGE = `usage: tulip conformance [run|bless] [--mode live|golden] [--id GLOB]... [--feature TAG]...
                         [--form generator|lazy|plain|compiled|all]... [--jobs N] [--timeout SECONDS]
                         [--json FILE] [--no-progress] [--in-process] [--python-loop asyncio|uvloop]
       tulip conformance fuzz [--seed S] [--count N] [--out DIR] [--form ...]... [--python-loop asyncio|uvloop]
       tulip conformance source --form lazy|plain|compiled --id GLOB
       tulip conformance expectations --form F [--golden] [--seed S --count N] [--write]
       ${PROGRAMS_USAGE}
       tulip compile SRC... -o OUT   (files or folders; .ts/.mts/.js/.mjs → .js/.mjs with source maps)
       tulip port FILE.py|DIR [-o PATH|-] [--check] [--allow-todo]   (Python asyncio into tulip TypeScript)`;

interface Args {
  command: "run" | "bless" | "fuzz" | "source" | "expectations";
  write: boolean;
  isolate: boolean;
  forms: Form[];
  formsGiven: boolean;
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
  pythonLoop: PythonLoop;
}

function parse(argv: string[]): Args {
  const a: Args = {
    command: "run", write: false, isolate: true, forms: [], formsGiven: false, mode: "live", seed: 1, count: 100, out: join(SPEC_DIR, "..", "reports", "fuzz"), ids: [], features: [], jobs: 2, timeout: 10,
    json: join(SPEC_DIR, "..", "reports", "conformance.json"),
    html: join(SPEC_DIR, "..", "reports", "conformance.html"), transport: "bridge", progress: process.stderr.isTTY === true,
    pythonLoop: "asyncio",
  };
  const rest = [...argv];
  if (["run", "bless", "fuzz", "source", "expectations"].includes(rest[0])) a.command = rest.shift() as Args["command"];
  eachFlag(rest, (flag, value) => {
    if (flag === "--mode") a.mode = value() as Mode;
    else if (flag === "--golden") a.mode = "golden";
    else if (flag === "--id") a.ids.push(value());
    else if (flag === "--feature") a.features.push(value());
    else if (flag === "--form") {
      for (const f of value().split(",")) {
        if (f === "all") a.forms.push(...FORMS);
        else if (isForm(f)) a.forms.push(f);
        else throw new Error(`--form must be one of ${FORMS.join(", ")} or all`);
      }
    }
    else if (flag === "--jobs" || flag === "-j") a.jobs = Number(value());
    else if (flag === "--timeout") a.timeout = Number(value());
    else if (flag === "--json") a.json = value();
    else if (flag === "--html") a.html = value();
    else if (flag === "--transport") a.transport = value() as Args["transport"];
    else if (flag === "--no-progress") a.progress = false;
    else if (flag === "--write") a.write = true;
    else if (flag === "--in-process") a.isolate = false;
    else if (flag === "--seed") a.seed = Number(value());
    else if (flag === "--count") a.count = Number(value());
    else if (flag === "--out") a.out = value();
    else if (flag === "--python-loop") a.pythonLoop = parsePythonLoop(value());
    else throw new Error(`unknown option ${flag}`);
  });
  if (a.mode !== "live" && a.mode !== "golden") throw new Error(`--mode must be live or golden`);
  if (!(a.jobs >= 1)) throw new Error("--jobs must be at least 1");
  a.formsGiven = a.forms.length > 0;
  a.forms = a.formsGiven ? FORMS.filter((f) => a.forms.includes(f)) : [...FORMS];
  if (a.transport !== "bridge" && a.transport !== "stdio") throw new Error("--transport must be bridge or stdio");
  if (a.pythonLoop !== "asyncio" && !["run", "fuzz"].includes(a.command)) throw new Error("--python-loop applies to runs and fuzz (and programs)");
  if (a.pythonLoop !== "asyncio" && a.mode === "golden") throw new Error("--python-loop uvloop runs the Python side live: it cannot be used with --golden");
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
  const expectations = Expectations.load("tulip");
  // Asked first, so that a missing uvloop stops the run at once with `pip install uvloop`.
  const loop = args.pythonLoop === "asyncio" ? null : pythonLoopVersion(args.pythonLoop);
  if (args.command === "fuzz") {
    const r = await fuzz(args.seed, args.count, args.out, (line) => console.log(line),
      { forms: args.forms, expectations, isolate: args.isolate, pythonLoop: args.pythonLoop });
    for (const [form, why] of Object.entries(r.skipped)) console.log(`${form} form: SKIP (${why})`);
    for (const [form, f] of Object.entries(r.forms)) {
      console.log(`  ${form.padEnd(9)} ${f.identical} identical, ${f.differing} differing, ${f.known} known, ${f.fixed} fixed`);
    }
    console.log(`fuzz --seed ${r.seed} --count ${r.count} --form ${Object.keys(r.forms).join(",") || "none"}: ${r.identical} identical, ` +
      `${r.differing.length} differing (shrunk into ${args.out}), ${r.invalid.length} invalid, ${r.notReproducible} not reproducible on CPython, ` +
      `${r.known} known differences, ${r.fixed.length} fixed, in ${r.seconds.toFixed(1)} s`);
    for (const id of r.invalid) console.log(`invalid (the CPython interpreter refused it): ${id}`);
    for (const id of r.fixed) console.log(`FIXED ${id}: listed as a known difference but identical; remove it from spec/expectations/`);
    if (r.uvloop !== null && loop !== null) console.log(`\n${uvloopSection({ loop, results: r.uvloop, what: "generated scenarios" })}`);
    return r.differing.length === 0 && r.invalid.length === 0 && r.fixed.length === 0 ? 0 : 1;
  }
  const scenarios = select(loadScenarios(), args.ids, args.features);
  if (scenarios.length === 0) {
    console.error("no scenario matches the filters");
    return 2;
  }
  if (args.command === "expectations") {
    if (!args.formsGiven) throw new Error("expectations needs --form");
    const count = argv.includes("--count") ? args.count : 500; // the fuzz batch npm test runs
    const entries = await expectationsFor(scenarios, expectations,
      { forms: args.forms, mode: args.mode, seed: args.seed, count, timeoutMs: args.timeout * 1000 }, (l) => console.error(l));
    if (args.write) {
      writeExpectations("tulip", args.forms, entries);
      console.log(`wrote ${entries.length} entries (${entries.reduce((n, e) => n + e.ids.length, 0)} ids) into spec/expectations/tulip.json`);
    } else {
      console.log(JSON.stringify(entries, null, 1));
    }
    return 0;
  }
  if (args.command === "source") {
    // The generator form has no source of its own: it interprets the scenario.
    const forms = args.formsGiven ? args.forms.filter((f): f is Exclude<Form, "generator"> => f !== "generator") : ["plain" as const];
    for (const sc of scenarios) for (const f of forms) console.log(`// ${f} form\n${await sourceOf(sc, f)}`);
    return 0;
  }
  const t0 = performance.now();
  const run = await runConformance(scenarios, {
    mode: args.mode, jobs: args.jobs, timeoutMs: args.timeout * 1000, expectations, progress: args.progress, transport: args.transport,
    forms: args.forms, isolate: args.isolate, pythonLoop: args.pythonLoop,
  });
  const { results, reference, skipped } = run;
  const uvloop = run.uvloop !== null && loop !== null ? { loop, results: run.uvloop } : null;
  const seconds = (performance.now() - t0) / 1000;
  const c = count(results);
  const bad = unexpected(results);
  const text = details(results);
  if (text) console.log(text + "\n");
  if (uvloop !== null) console.log(uvloopSection(uvloop) + "\n");
  const forms = formsOf(results);
  console.log(forms.length === 1 ? table(results) : `${formTable(results)}\n\n${formTotals(results)}`);
  for (const [form, why] of Object.entries(skipped)) console.log(`\n${form} form: SKIP (${why})`);
  const ran = c.total - c.skip;
  const parity = ran === 0 ? 0 : (100 * (c.pass + c.fixed)) / ran;
  const perForm = Object.fromEntries(forms.map((f) => [f, summary(results.filter((r) => r.form === f))]));
  console.log(`\ntulip vs ${reference}: ${c.pass + c.fixed}/${ran} identical traces (${parity.toFixed(1)}%) over ${forms.join(", ")}, ` +
    `${c.known} known differences, ${bad.length} unexpected, in ${seconds.toFixed(1)} s`);
  const blessed = goldenVersion();
  if (args.mode === "live" && blessed !== null && !reference.includes(` ${blessed} `)) {
    console.log(`note: the goldens were blessed from CPython ${blessed}, this run compares with ${reference}; ` +
      `patch releases differ (3.11.2 and 3.11.7 do, on timeouts and TaskGroup messages)`);
  }
  if (uvloop !== null) console.log(uvloopSummary(uvloop));
  writeJson(args.json, {
    implementation: "tulip", reference, mode: args.mode, seconds, counts: c, parity, forms: perForm, skipped,
    results: results.map(({ diff, ...r }) => ({ ...r, diff })),
    ...(uvloop === null ? {} : { uvloop: uvloopJson(uvloop) }),
  });
  writeFileSync(args.html, htmlReport(results, { reference, mode: args.mode, seconds, skipped, uvloop: uvloop ?? undefined }));
  console.log(`results: ${args.json}, report: ${args.html}`);
  return bad.length === 0 ? 0 : 1;
}

/** A form's counts, parity and counts per area (the JSON report's `forms`). */
function summary(results: Result[]): object {
  const c = count(results);
  const ran = c.total - c.skip;
  const areas = [...new Set(results.map((r) => r.area))];
  return {
    counts: c, parity: ran === 0 ? null : (100 * (c.pass + c.fixed)) / ran,
    areas: Object.fromEntries(areas.map((a) => [a, count(results.filter((r) => r.area === a))])),
  };
}

quietNeverAwaited();

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
  if (argv[0] === "port") return (await import("./port/port.js")).portCommand(argv.slice(1));
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { console.error(e instanceof Error ? e.message : e); console.error(USAGE); process.exitCode = 2; },
);
