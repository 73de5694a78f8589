/**
 * `tulip conformance programs [--id NAME]… [--form raw|compiled]… [--jobs N] [--timeout SECONDS]
 *                             [--repeat N] [--json FILE] [--html FILE] [--no-progress]
 *                             [--python-loop asyncio|uvloop]`:
 * the paired programs of spec/programs/ (programs.ts), reported as the scenario suite is —
 * a diff per unexpected result, a table per form × area, JSON and HTML into reports/; with
 * uvloop, also the section "uvloop vs CPython asyncio" (uvloop.ts).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Expectations } from "./expectations.js";
import { htmlReport } from "./html.js";
import { FORMS, ROOT, formOf, loadPrograms, pythonVersion, runPrograms, selectPrograms } from "./programs.js";
import { count, details, table, unexpected, writeJson, type Counts, type Result } from "./runner.js";
import { eachFlag } from "./flags.js";
import { parsePythonLoop, pythonLoopVersion, type PythonLoop } from "./python_loop.js";
import { uvloopJson, uvloopSection, uvloopSummary } from "./uvloop.js";

export const PROGRAMS_USAGE = `tulip conformance programs [--id NAME]... [--form ${FORMS.join("|")}]... [--jobs N] [--timeout SECONDS]
                                  [--repeat N] [--json FILE] [--html FILE] [--no-progress] [--python-loop asyncio|uvloop]`;

interface ProgramArgs {
  ids: string[];
  forms: string[];
  jobs: number;
  timeout: number;
  repeat: number;
  json: string;
  html: string;
  progress: boolean;
  pythonLoop: PythonLoop;
}

function parse(argv: string[]): ProgramArgs {
  const a: ProgramArgs = {
    ids: [], forms: [], jobs: 2, timeout: 10, repeat: 1, progress: process.stderr.isTTY === true, pythonLoop: "asyncio",
    json: join(ROOT, "reports", "programs.json"), html: join(ROOT, "reports", "programs.html"),
  };
  eachFlag(argv, (flag, value) => {
    if (flag === "--id") a.ids.push(value());
    else if (flag === "--form") a.forms.push(value());
    else if (flag === "--jobs" || flag === "-j") a.jobs = Number(value());
    else if (flag === "--timeout") a.timeout = Number(value());
    else if (flag === "--repeat") a.repeat = Number(value());
    else if (flag === "--json") a.json = value();
    else if (flag === "--html") a.html = value();
    else if (flag === "--no-progress") a.progress = false;
    else if (flag === "--python-loop") a.pythonLoop = parsePythonLoop(value());
    else throw new Error(`unknown option ${flag}`);
  });
  for (const f of a.forms) if (!(FORMS as readonly string[]).includes(f)) throw new Error(`--form must be one of ${FORMS.join(", ")}`);
  if (!(a.jobs >= 1)) throw new Error("--jobs must be at least 1");
  if (!(a.timeout > 0)) throw new Error("--timeout must be a positive number of seconds");
  if (!(a.repeat >= 1)) throw new Error("--repeat must be at least 1");
  return a;
}

const FORM_TITLES: Record<string, string> = {
  raw: "types stripped, plain JavaScript async functions",
  compiled: "through tulip's compile step",
  ported: "the .py translated by tulip port (no manual edit), then the compile step",
};

export async function programsCommand(argv: string[]): Promise<number> {
  const args = parse(argv);
  const selected = selectPrograms(loadPrograms(), args.ids);
  if (selected.length === 0) {
    console.error("no program matches the filters");
    return 2;
  }
  const expectations = Expectations.load("programs");
  const forms = args.forms.length > 0 ? args.forms : [...FORMS];
  const reference = pythonVersion();
  // Asked first, so that a missing uvloop stops the run at once with `pip install uvloop`.
  const loop = args.pythonLoop === "asyncio" ? null : pythonLoopVersion(args.pythonLoop);
  const t0 = performance.now();
  const run = await runPrograms(selected, {
    jobs: args.jobs, timeoutMs: args.timeout * 1000, expectations, forms, repeat: args.repeat, pythonLoop: args.pythonLoop,
    progress: args.progress
      ? (_l, done, total) => process.stderr.write(`\r${done}/${total} runs${done === total ? "\r" + " ".repeat(20) + "\r" : ""}`)
      : undefined,
  });
  const { results } = run;
  const uvloop = run.uvloop !== null && loop !== null ? { loop, results: run.uvloop, what: "programs" } : null;
  const seconds = (performance.now() - t0) / 1000;
  const text = details(results);
  if (text) console.log(text + "\n");
  if (uvloop !== null) console.log(uvloopSection(uvloop) + "\n");
  const byForm: Record<string, Counts> = {};
  for (const form of forms) {
    const rs = results.filter((r) => formOf(r) === form);
    const c = count(rs);
    byForm[form] = c;
    console.log(`${form}: ${FORM_TITLES[form] ?? form}`);
    console.log(table(rs));
    const skip = rs.find((r) => r.status === "SKIP" && r.expected === null);
    if (c.skip === c.total && skip) console.log(`SKIP ${form}: ${skip.reason}`);
    console.log("");
  }
  const ported = results.filter((r) => formOf(r) === "ported" && r.status !== "SKIP");
  if (ported.length > 0) {
    const ok = ported.filter((r) => r.status === "PASS").length;
    const portError = ported.filter((r) => r.status === "ERROR" && /cannot port/.test(r.message ?? "")).length;
    console.log(`tulip port: ${ok}/${ported.length} programs (${(100 * ok / ported.length).toFixed(1)}%) port and print what CPython prints ` +
      `with no manual edit; ${portError} do not port, ${ported.length - ok - portError} port but differ`);
  }
  const c = count(results);
  const bad = unexpected(results);
  const ran = c.total - c.skip;
  console.log(`tulip vs ${reference}: ${selected.length} programs, ${c.pass + c.fixed}/${ran} program runs identical, ` +
    `${c.known} known differences, ${bad.length} unexpected, ${c.skip} skipped, in ${seconds.toFixed(1)} s`);
  if (uvloop !== null) console.log(uvloopSummary(uvloop));
  writeJson(args.json, {
    implementation: "tulip", suite: "programs", reference, seconds, counts: c, forms: byForm,
    results: results.map(({ diff, ...r }) => ({ ...r, diff })),
    ...(uvloop === null ? {} : { uvloop: uvloopJson(uvloop) }),
  });
  // The HTML report, one row per form and area.
  const rows: Result[] = results.map((r) => ({ ...r, area: `${formOf(r)}/${r.area}` }));
  writeFileSync(args.html, htmlReport(rows, { reference, mode: "programs", seconds, uvloop: uvloop ?? undefined }));
  console.log(`results: ${args.json}, report: ${args.html}`);
  return bad.length === 0 ? 0 : 1;
}
