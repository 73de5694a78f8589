// `npm test`: bootstraps what a fresh clone lacks (npm packages, the Python venv), builds,
// runs every suite (Jest, pytest) and ends with one line "N passed, N failed".
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, mkdirSync, rmSync } from "node:fs";
import { ensureNodeModules, ensureVenv, ensureChromium, venvPython, root } from "./setup.mjs";

ensureNodeModules();
ensureVenv();
ensureChromium();
execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
execFileSync("npx", ["tsc", "-p", "tsconfig.examples.json"], { cwd: root, stdio: "inherit" });
mkdirSync(`${root}/reports`, { recursive: true });

const extra = process.argv.slice(2);
let passed = 0, failed = 0, ok = true;

// Jest: native ESM from dist/
const jest = spawnSync(process.execPath,
  ["--experimental-vm-modules", "--no-warnings", "--expose-gc", "node_modules/jest/bin/jest.js",
   "--json", "--outputFile=reports/jest.json", ...extra],
  { cwd: root, stdio: "inherit", env: { ...process.env } });
if (existsSync(`${root}/reports/jest.json`)) {
  const r = JSON.parse(readFileSync(`${root}/reports/jest.json`, "utf8"));
  passed += r.numPassedTests; failed += r.numFailedTests;
  if (r.numFailedTestSuites > 0 && r.numFailedTests === 0) failed += r.numFailedTestSuites;
}
if (jest.status !== 0) ok = false;

// pytest
const py = spawnSync(venvPython, ["-m", "pytest", "-q", "py/tests", "--junitxml=reports/pytest.xml"],
  { cwd: root, stdio: "inherit" });
if (existsSync(`${root}/reports/pytest.xml`)) {
  const xml = readFileSync(`${root}/reports/pytest.xml`, "utf8");
  const m = /<testsuite [^>]*>/.exec(xml)?.[0] ?? "";
  const n = (k) => Number(new RegExp(`${k}="(\\d+)"`).exec(m)?.[1] ?? 0);
  failed += n("failures") + n("errors");
  passed += n("tests") - n("failures") - n("errors") - n("skipped");
}
if (py.status !== 0 && py.status !== 5) ok = false;

// The conformance suite, live against CPython (each scenario × coroutine form a test: PASS or an expected
// difference passes; FAIL, ERROR, TIMEOUT or a listed difference that now passes fails), and
// the fixed-seed differential fuzz batch (each generated scenario a test).
const conf = spawnSync(process.execPath, ["dist/cli.js", "conformance", "--no-progress", "--json", "reports/conformance.json"],
  { cwd: root, stdio: "inherit" });
if (existsSync(`${root}/reports/conformance.json`)) {
  const c = JSON.parse(readFileSync(`${root}/reports/conformance.json`, "utf8")).counts;
  passed += c.pass + c.known;
  failed += c.fail + c.error + c.timeout + c.fixed;
}
if (conf.status !== 0) ok = false;
// The paired programs (spec/programs): each program x form a test, as the scenarios are.
rmSync(`${root}/reports/programs.json`, { force: true });
const progs = spawnSync(process.execPath, ["dist/cli.js", "conformance", "programs", "--no-progress", "--json", "reports/programs.json"],
  { cwd: root, stdio: "inherit" });
if (existsSync(`${root}/reports/programs.json`)) {
  const c = JSON.parse(readFileSync(`${root}/reports/programs.json`, "utf8")).counts;
  passed += c.pass + c.known;
  failed += c.fail + c.error + c.timeout + c.fixed;
} else {
  failed += 1; // the programs did not report: count it as one failure
}
if (progs.status !== 0) ok = false;
const fuzz = spawnSync(process.execPath, ["dist/cli.js", "conformance", "fuzz", "--seed", "1", "--count", "500"],
  { cwd: root, encoding: "utf8" });
process.stdout.write(fuzz.stdout ?? "");
process.stderr.write(fuzz.stderr ?? "");
// Each generated scenario × coroutine form is a test: identical or a listed difference
// passes; an unlisted difference, an invalid scenario or a listed one now identical fails.
const fz = /: (\d+) identical, (\d+) differing.*?, (\d+) invalid.*?, (\d+) known differences, (\d+) fixed/.exec(fuzz.stdout ?? "");
if (fz) {
  passed += Number(fz[1]) + Number(fz[4]);
  failed += Number(fz[2]) + Number(fz[3]) + Number(fz[5]);
} else {
  failed += 1; // the fuzz batch did not report: count it as one failure
}
if (fuzz.status !== 0) ok = false;

console.log(`${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
