/**
 * The paired-program runner itself, on tiny fake pairs: one that matches, one that differs,
 * one that hangs (TIMEOUT), one listed as a difference that no longer differs (FIXED), one
 * that ends in an uncaught exception on both sides, and a form without a build step (SKIP).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Expectations } from "../../conformance/expectations.js";
import { PROGRAMS_DIR, ROOT, loadPrograms, rawCompiler, runPrograms, selectPrograms, transcript } from "../../conformance/programs.js";
import { count, unexpected } from "../../conformance/runner.js";

const PAIRS: Record<string, [string, string]> = {
  fake_match: ['print("hello", 1)\n', 'console.log("hello", 1);\n'],
  fake_differs: ['print("a")\n', 'console.log("b");\n'],
  fake_hangs: ['print("done")\n', 'console.log("started");\nsetInterval(() => {}, 1000);\n'],
  fake_fixed: ['print("same")\n', 'const x: string = "same";\nconsole.log(x);\n'],
  fake_raises: [
    'print("before")\nraise ValueError("bad thing")\n',
    'import * as asyncio from "tulip";\nconsole.log("before");\nthrow new asyncio.ValueError("bad thing");\n',
  ],
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "programs-"));
  for (const [name, [py, ts]] of Object.entries(PAIRS)) {
    writeFileSync(join(dir, `${name}.py`), py);
    writeFileSync(join(dir, `${name}.ts`), ts);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("each program x form gets its status, and a listed difference that passes is FIXED", async () => {
  const expectations = new Expectations([
    { ids: ["fake_differs:raw"], status: "FAIL", reason: "prints b" },
    { ids: ["fake_fixed:raw"], status: "FAIL", reason: "used to differ" },
  ]);
  const programs = loadPrograms(dir, ["fake"]);
  expect(programs.map((p) => p.name)).toEqual(Object.keys(PAIRS).sort());
  const { results } = await runPrograms(programs, {
    jobs: 2, timeoutMs: 4000, expectations, forms: ["raw", "later"],
    compilers: { raw: await rawCompiler(), later: "no build step yet" },
    buildDir: join(ROOT, "build", "programs-test"),
  });
  const byId = Object.fromEntries(results.map((r) => [r.id, r]));
  expect(byId["fake_match:raw"]).toMatchObject({ status: "PASS", asExpected: true, area: "fake" });
  expect(byId["fake_differs:raw"]).toMatchObject({ status: "FAIL", expected: "FAIL", asExpected: true });
  expect(byId["fake_differs:raw"].diff).toContain("-a\n+b");
  expect(byId["fake_hangs:raw"]).toMatchObject({ status: "TIMEOUT", asExpected: false });
  expect(byId["fake_hangs:raw"].message).toContain("started");
  expect(byId["fake_fixed:raw"]).toMatchObject({ status: "PASS", expected: "FAIL", asExpected: false });
  expect(byId["fake_raises:raw"]).toMatchObject({ status: "PASS" });
  expect(byId["fake_match:later"]).toMatchObject({ status: "SKIP", asExpected: true, reason: "no build step yet" });
  const raw = results.filter((r) => r.id.endsWith(":raw"));
  expect(count(raw)).toMatchObject({ pass: 2, known: 1, timeout: 1, fixed: 1, fail: 0, total: 5 });
  expect(unexpected(results).map((r) => r.id).sort()).toEqual(["fake_fixed:raw", "fake_hangs:raw"]);
}, 30000);

test("the transcript holds stdout, the exit status and the exception line of a failed run", () => {
  expect(transcript({ kind: "exit", stdout: "a\nb\n", stderr: "", code: 0, signal: null, exception: null })).toEqual(["a", "b", "[exit 0]"]);
  expect(transcript({ kind: "exit", stdout: "", stderr: "x", code: 1, signal: null, exception: "ValueError: bad" }))
    .toEqual(["[exit 1]", "[exception ValueError: bad]"]);
  expect(transcript({ kind: "timeout", stdout: "a", stderr: "" })).toEqual([]);
});

test("half a pair, or a name outside the areas, is an error; --id selects by name", () => {
  const d = mkdtempSync(join(tmpdir(), "programs-bad-"));
  try {
    writeFileSync(join(d, "fake_alone.py"), "");
    expect(() => loadPrograms(d, ["fake"])).toThrow(/needs both fake_alone.py and fake_alone.ts/);
    writeFileSync(join(d, "fake_alone.ts"), "");
    writeFileSync(join(d, "nowhere_x.py"), "");
    writeFileSync(join(d, "nowhere_x.ts"), "");
    expect(() => loadPrograms(d, ["fake"])).toThrow(/must start with an area/);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
  const programs = loadPrograms(dir, ["fake"]);
  expect(selectPrograms(programs, ["fake_m*"]).map((p) => p.name)).toEqual(["fake_match"]);
});

test("every real pair is complete and named after its area", () => {
  const programs = loadPrograms();
  expect(programs.length).toBeGreaterThanOrEqual(60);
  expect(new Set(programs.map((p) => p.area)).size).toBe(14);
});

test("the TypeScript half of every pair type-checks against tulip's declarations", () => {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", PROGRAMS_DIR], { cwd: ROOT, encoding: "utf8" });
  expect(r.stdout + r.stderr).toBe("");
  expect(r.status).toBe(0);
}, 60000);
