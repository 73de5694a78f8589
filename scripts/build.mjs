// The build: `tsc`, then tulip's own compile step over its asyncio modules (dist/asyncio), so
// that tulip's async functions — loop.create_connection, open_connection, getaddrinfo,
// start_server, … — are Python coroutines as in CPython: lazy, stepped by the task that awaits
// them, and cancelled at the `await` they are suspended on (a `wait_for(open_connection(…), t)`
// times out). Functions marked `tulip: plain async` (run_until_complete, asyncio.run, Runner)
// stay plain: they run the loop from outside it. coroutines.js is the runtime itself.
//
//   node scripts/build.mjs            (npm run build; npm test, bench and conformance call it)
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "./setup.mjs";

const MAP_URL = /\n\/\/# sourceMappingURL=[^\n]*\s*$/;

/** Compiles dist/asyncio/*.js in place (idempotent: a compiled module has no async functions left to change). */
export async function compileSelf(dist = join(root, "dist")) {
  const { transform } = await import(pathToFileURL(join(dist, "compile.js")).href);
  const dir = join(dist, "asyncio");
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".js") || name === "coroutines.js") continue;
    const file = join(dir, name);
    const source = readFileSync(file, "utf8");
    if (!/\basync\b/.test(source)) continue;
    const mapFile = `${file}.map`;
    const inputSourceMap = JSON.parse(readFileSync(mapFile, "utf8"));
    const { code, map } = transform(source.replace(MAP_URL, "\n"), file, { runtime: "./coroutines.js", sourceMaps: true, inputSourceMap });
    if (code.includes("_async_function") === source.includes("_async_function")) continue; // nothing changed
    writeFileSync(file, `${code}\n//# sourceMappingURL=${name}.map\n`);
    writeFileSync(mapFile, JSON.stringify({ ...map, file: name }));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  execFileSync("npx", ["tsc", "-p", "."], { cwd: root, stdio: "inherit" });
  await compileSelf();
  if (process.argv.includes("--examples")) execFileSync("npx", ["tsc", "-p", "tsconfig.examples.json"], { cwd: root, stdio: "inherit" });
}
