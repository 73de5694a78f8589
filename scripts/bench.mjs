// `npm run bench [name…]`: builds, makes sure the venv (CPython asyncio + uvloop anchors) is
// there, then runs bench/<name>.bench.mjs (all of them by default) one after the other.
// Each prints its own markdown table, tulip side by side with its anchors, as ratios.
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { ensureNodeModules, ensureVenv, root } from "./setup.mjs";

ensureNodeModules();
ensureVenv();
execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
const wanted = process.argv.slice(2);
const benches = readdirSync(`${root}/bench`).filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.mjs$/, "")));
let failed = false;
for (const b of benches) {
  console.log(`\n## ${b.replace(/\.bench\.mjs$/, "")}\n`);
  const r = spawnSync(process.execPath, ["--expose-gc", `bench/${b}`], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
