// `npm run conformance [-- args]`: bootstraps what a fresh clone lacks (npm packages; the
// Python venv unless --mode golden), builds, and runs `tulip conformance`.
import { execFileSync, spawnSync } from "node:child_process";
import { ensureNodeModules, ensureVenv, root } from "./setup.mjs";

const args = process.argv.slice(2);
const golden = args.includes("--golden") || args.join(" ").includes("--mode golden");
ensureNodeModules();
if (!golden) ensureVenv();
execFileSync("npx", ["tsc", "-p", "."], { cwd: root, stdio: "inherit" });
const r = spawnSync(process.execPath, ["dist/cli.js", "conformance", ...args], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
