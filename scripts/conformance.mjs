// `npm run conformance [-- args]`: bootstraps what a fresh clone lacks (npm packages; the
// Python venv unless --mode golden), builds, and runs `tulip conformance`; a plain run (no
// subcommand, no --id/--feature filter, live) then runs the paired programs too
// (`tulip conformance programs`, which needs CPython: golden mode skips them), passed
// --jobs, --no-progress and --python-loop.
import { execFileSync, spawnSync } from "node:child_process";
import { ensureNodeModules, ensureVenv, root } from "./setup.mjs";

const args = process.argv.slice(2);
const golden = args.includes("--golden") || args.join(" ").includes("--mode golden");
ensureNodeModules();
if (!golden) ensureVenv();
execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
const r = spawnSync(process.execPath, ["dist/cli.js", "conformance", ...args], { cwd: root, stdio: "inherit" });
const plain = !["run", "bless", "fuzz", "programs"].includes(args[0]) && !args.some((a) => a === "--id" || a === "--feature");
if (!plain || golden) {
  if (plain) console.log("paired programs: skipped in golden mode (they run on CPython itself)");
  process.exit(r.status ?? 1);
}
// The flags the programs take too, with their values.
const shared = ["--jobs", "-j", "--python-loop"];
const passOn = args.filter((a, i) => a === "--no-progress" || shared.includes(a) || shared.includes(args[i - 1]));
console.log("\npaired programs (spec/programs):");
const p = spawnSync(process.execPath, ["dist/cli.js", "conformance", "programs", ...passOn], { cwd: root, stdio: "inherit" });
process.exit(r.status === 0 && p.status === 0 ? 0 : (r.status || p.status || 1));
