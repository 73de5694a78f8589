/**
 * `--python-loop uvloop`: the flag on both commands, a missing uvloop, the comparison of
 * uvloop's output with asyncio's (clock readings, reruns, skips), the section in text, JSON and
 * HTML, and real runs of scenarios and programs on uvloop, with tulip still judged against asyncio.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { Expectations } from "../../conformance/expectations.js";
import { htmlReport } from "../../conformance/html.js";
import { ROOT, loadPrograms, rawCompiler, runPrograms } from "../../conformance/programs.js";
import { parsePythonLoop } from "../../conformance/python_loop.js";
import { runConformance } from "../../conformance/runner.js";
import { loadScenarios, select } from "../../conformance/scenario.js";
import {
  CONFIRMATIONS, asUvloopShows, blankClock, compareLoops, uvloopJson, uvloopSection, uvloopSkip, type UvloopReport,
} from "../../conformance/uvloop.js";

const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [join(ROOT, "dist", "cli.js"), "conformance", ...args], { cwd: ROOT, env, encoding: "utf8" });

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), "uvloop-")); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test("--python-loop takes asyncio or uvloop, on runs, fuzz and programs, and live only", () => {
  expect(parsePythonLoop("uvloop")).toBe("uvloop");
  expect(parsePythonLoop("asyncio")).toBe("asyncio");
  expect(() => parsePythonLoop("trio")).toThrow("--python-loop must be one of asyncio, uvloop");
  for (const args of [["--python-loop", "trio"], ["programs", "--python-loop", "trio"]]) {
    const r = cli(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--python-loop must be one of asyncio, uvloop");
  }
  expect(cli(["--python-loop"]).stderr).toContain("--python-loop needs a value");
  expect(cli(["--python-loop", "uvloop", "--golden"]).stderr).toContain("cannot be used with --golden");
  expect(cli(["bless", "--python-loop", "uvloop"]).stderr).toContain("--python-loop applies to runs and fuzz");
});

test("a missing uvloop stops either command at once, naming pip install uvloop", () => {
  // A uvloop package that fails to import, ahead of the real one.
  mkdirSync(join(tmp, "nouvloop", "uvloop"), { recursive: true });
  writeFileSync(join(tmp, "nouvloop", "uvloop", "__init__.py"), 'raise ImportError("No module named \'uvloop\'")\n');
  const env = { ...process.env, PYTHONPATH: [join(tmp, "nouvloop"), join(ROOT, "py"), process.env.PYTHONPATH].filter(Boolean).join(delimiter) };
  for (const args of [["--python-loop", "uvloop", "--id", "callbacks/*"], ["programs", "--python-loop", "uvloop"]]) {
    const r = cli(args, env);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("pip install uvloop");
  }
});

// ---- the comparison ----
const reading = '{"clock":"-"}';
const never = { uvloop: async (): Promise<string[]> => { throw new Error("no second run when the outputs agree"); } };

test("clock readings stand for asyncio's numbers; time and iteration columns are blanked", async () => {
  const asyncio = blankClock(['0.1000 3 main trace ["at",0.1]', "0.1000 3 main return [\"main\",null]"]);
  expect(asyncio).toEqual(['- - main trace ["at",0.1]', '- - main return ["main",null]']);
  const uvloop = [`- - main trace ["at",${reading}]`, '- - main return ["main",null]'];
  expect(asUvloopShows(asyncio, uvloop)).toEqual(uvloop);
  expect(await compareLoops("a/b", "a", asyncio, uvloop, never)).toMatchObject({ status: "SAME" });
  // A reading stands for a number, not for any value.
  expect(asUvloopShows(['- - main trace ["at","soon"]'], [`- - main trace ["at",${reading}]`])).toEqual(['- - main trace ["at","soon"]']);
});

test("a difference counts when uvloop repeats it and asyncio on the real clock does not; else it VARIES", async () => {
  const asyncio = ['- - cb call ["A"]', '- - cb call ["C"]', '- - cb call ["B"]'];
  const uvloop = ['- - cb call ["A"]', '- - cb call ["B"]', '- - cb call ["C"]'];
  let uvloopRuns = 0;
  const repeats = async () => { uvloopRuns++; return uvloop; };
  const diff = await compareLoops("callbacks/x", "callbacks", asyncio, uvloop, { uvloop: repeats, asyncioOnRealClock: async () => asyncio });
  expect(diff).toMatchObject({ status: "UVLOOP-DIFF", area: "callbacks" });
  expect(uvloopRuns).toBe(CONFIRMATIONS);
  expect(diff.diff).toContain('--- asyncio/callbacks/x\n+++ uvloop/callbacks/x');
  expect(diff.diff).toContain('-- - cb call ["C"]');
  // uvloop's third run differs from its first: a real-clock race, not uvloop's behaviour.
  let n = 0;
  const races = async () => (++n === CONFIRMATIONS ? asyncio : uvloop);
  expect(await compareLoops("callbacks/x", "callbacks", asyncio, uvloop, { uvloop: races }))
    .toMatchObject({ status: "VARIES", message: `uvloop's output differs between runs (1 and ${CONFIRMATIONS + 1})` });
  // asyncio itself gives uvloop's order on the real clock: the scenario depends on timing.
  const control = await compareLoops("callbacks/x", "callbacks", asyncio, uvloop, { uvloop: repeats, asyncioOnRealClock: async () => uvloop });
  expect(control).toMatchObject({ status: "VARIES" });
  expect(control.message).toContain("CPython asyncio on the real clock does not give asyncio's output either");
  expect(control.diff).toContain("+++ asyncio-real-clock/callbacks/x");
});

test("what cannot run on uvloop's real clock is skipped, with the reason", () => {
  expect(uvloopSkip({ kind: "trace", lines: ["0.0000 1 main start []", "0.0000 1 loop deadlock []"] })).toContain("deadlock");
  expect(uvloopSkip({ kind: "trace", lines: ["0.0000 1 main start []", "172801.0000 9 runner return [null]"] })).toContain("172801 s");
  expect(uvloopSkip({ kind: "trace", lines: ["- - main start []", "0.2000 2 runner return [null]"] })).toBeNull();
  expect(uvloopSkip({ kind: "error", message: "x" })).toContain("no trace");
});

test("the section: text, JSON without the SAME ones, and the HTML report's section", () => {
  const report: UvloopReport = {
    loop: "uvloop 0.23.0", results: [
      { id: "a/same", area: "a", status: "SAME", message: null, diff: null },
      { id: "a/diff", area: "a", status: "UVLOOP-DIFF", message: null, diff: "--- asyncio/a/diff\n+++ uvloop/a/diff\n-x\n+y" },
      { id: "a/long", area: "a", status: "SKIP", message: "it runs 100 s", diff: null },
    ],
  };
  const text = uvloopSection(report);
  expect(text.split("\n")[0]).toBe("uvloop vs CPython asyncio (uvloop 0.23.0): 2 scenarios compared, 1 same, 1 differ (UVLOOP-DIFF), " +
    "0 vary on the real clock (VARIES), 1 skipped");
  expect(text).toContain("UVLOOP-DIFF a/diff\n--- asyncio/a/diff");
  expect(text).toContain("SKIP a/long: it runs 100 s");
  expect(uvloopJson(report)).toMatchObject({ title: "uvloop vs CPython asyncio", counts: { differ: 1, same: 1, skip: 1 } });
  expect(JSON.stringify(uvloopJson(report))).not.toContain("a/same");
  const html = htmlReport([], { reference: "cpython", mode: "live", seconds: 1, uvloop: report });
  expect(html).toContain('<section id="uvloop"><h2>uvloop vs CPython asyncio</h2>');
  expect(html).toContain('<li data-status="uvloop-diff"><span class="tag uvloop-diff">UVLOOP-DIFF</span> a/diff');
  expect(html).toContain('<span class="add">+y</span>');
  expect(htmlReport([], { reference: "cpython", mode: "live", seconds: 1 })).not.toContain('id="uvloop"');
});

// ---- real runs ----
test("scenarios on uvloop: call_later(0) is call_soon there (UVLOOP-DIFF), clock readings match; tulip is judged against asyncio", async () => {
  const scenarios = select(loadScenarios(), ["callbacks/soon-later0-soon", "timeouts/basic", "errors/deadlock"]);
  const run = await runConformance(scenarios, {
    mode: "live", jobs: 1, timeoutMs: 10000, expectations: Expectations.load("tulip"), progress: false, forms: ["generator"],
    pythonLoop: "uvloop",
  });
  const byId = Object.fromEntries(run.uvloop!.map((r) => [r.id, r]));
  expect(byId["callbacks/soon-later0-soon"]).toMatchObject({ status: "UVLOOP-DIFF" });
  expect(byId["callbacks/soon-later0-soon"].diff).toContain('+- - cb call ["C"]');
  expect(byId["timeouts/basic"]).toMatchObject({ status: "SAME" });
  expect(byId["errors/deadlock"]).toMatchObject({ status: "SKIP" });
  expect(run.results.map((r) => r.status)).toEqual(["PASS", "PASS", "PASS"]);
}, 60000);

test("programs on uvloop: run with uvloop's policy, compared with asyncio; tulip is judged against asyncio", async () => {
  const dir = join(tmp, "programs");
  mkdirSync(dir, { recursive: true });
  const loopName = 'import asyncio\nprint(type(asyncio.new_event_loop()).__module__.split(".")[0])\n';
  writeFileSync(join(dir, "fake_loop.py"), loopName);
  writeFileSync(join(dir, "fake_loop.ts"), 'console.log("asyncio");\n');
  writeFileSync(join(dir, "fake_same.py"), 'import asyncio\nasync def main():\n    await asyncio.sleep(0)\n    print("done")\nasyncio.run(main())\n');
  writeFileSync(join(dir, "fake_same.ts"), 'console.log("done");\n');
  const opts = {
    jobs: 2, timeoutMs: 10000, expectations: new Expectations([]), forms: ["raw"], compilers: { raw: await rawCompiler() },
    buildDir: join(ROOT, "build", "programs-test"),
  };
  const plain = await runPrograms(loadPrograms(dir, ["fake"]), opts);
  expect(plain.uvloop).toBeNull(); // the default run does not touch uvloop
  const run = await runPrograms(loadPrograms(dir, ["fake"]), { ...opts, pythonLoop: "uvloop" });
  const byName = Object.fromEntries(run.uvloop!.map((r) => [r.id, r]));
  expect(byName.fake_loop).toMatchObject({ status: "UVLOOP-DIFF" });
  expect(byName.fake_loop.diff).toContain("-asyncio\n+uvloop");
  expect(byName.fake_same).toMatchObject({ status: "SAME" });
  expect(run.results.map((r) => [r.id, r.status])).toEqual([["fake_loop:raw", "PASS"], ["fake_same:raw", "PASS"]]);
}, 60000);
