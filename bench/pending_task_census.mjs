// `node --expose-gc bench/pending_task_census.mjs [generator|lazy|plain|compiled] [N]`: what a
// pending task costs, object by object. N tasks each await one Event.wait(); two heap snapshots
// (before and after) are compared and the growth is printed per V8 node type:name, per task,
// largest first. Deterministic where forms.bench.mjs's RSS figure is not (no allocator, no
// timing): the tool behind the memory figures in bench/README.md. Writes its snapshots and the
// compiled module to a temporary folder.
import * as asyncio from "../dist/asyncio/index.js";
import { transform } from "../dist/compile.js";
import v8 from "node:v8";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const form = process.argv[2] ?? "compiled", N = Number(process.argv[3] ?? 20000);
const dir = mkdtempSync(join(tmpdir(), "tulip-census-"));
const runtime = pathToFileURL(new URL("../dist/asyncio/index.js", import.meta.url).pathname).href;
const src = `import * as asyncio from ${JSON.stringify(runtime)};\nexport async function w(ev) { await ev.wait(); return 1; }\n`;
let w;
if (form === "compiled" || form === "plain") {
  const file = join(dir, `${form}.mjs`);
  writeFileSync(file, form === "compiled" ? transform(src, file, { runtime }).code : src);
  w = (await import(pathToFileURL(file).href)).w;
} else if (form === "lazy") w = asyncio.coroutine(async function w(ev) { await ev.wait(); return 1; });
else w = asyncio.coroutine(function* w(ev) { yield* ev.wait(); return 1; });

/** A heap snapshot to a file, read only once both are taken (reading one makes objects of its own). */
function snapshot(name) {
  globalThis.gc();
  return v8.writeHeapSnapshot(join(dir, `${name}.heapsnapshot`));
}

function census(file) {
  const snap = JSON.parse(readFileSync(file, "utf8"));
  const f = snap.snapshot.meta.node_fields, nf = f.length, types = snap.snapshot.meta.node_types[0];
  const it = f.indexOf("type"), iname = f.indexOf("name"), isz = f.indexOf("self_size");
  const m = new Map();
  for (let i = 0; i < snap.nodes.length; i += nf) {
    // A string node's name is its content: strings are counted by type.
    const type = types[snap.nodes[i + it]];
    const k = type.includes("string") ? `${type}:` : `${type}:${snap.strings[snap.nodes[i + iname]].slice(0, 40)}`;
    const e = m.get(k) ?? [0, 0];
    e[0]++; e[1] += snap.nodes[i + isz];
    m.set(k, e);
  }
  return m;
}

let beforeFile, afterFile;
await asyncio.run(async () => {
  const ev = new asyncio.Event();
  const warm = Array.from({ length: 1000 }, () => asyncio.create_task(w(ev)));
  await asyncio.sleep(0);
  beforeFile = snapshot("before");
  const tasks = Array.from({ length: N }, () => asyncio.create_task(w(ev)));
  await asyncio.sleep(0);
  await asyncio.sleep(0);
  afterFile = snapshot("after");
  ev.set();
  await asyncio.gather(...warm, ...tasks);
});
const before = census(beforeFile), after = census(afterFile);
const rows = [];
let total = 0;
for (const [k, [count, size]] of after) {
  const [c0, s0] = before.get(k) ?? [0, 0];
  total += size - s0;
  if (size - s0 > N * 2) rows.push([k, (count - c0) / N, (size - s0) / N]);
}
rows.sort((a, b) => b[2] - a[2]);
console.log(`${form}: ${N} tasks awaiting Event.wait(), heap growth per task (count, bytes)`);
for (const [k, c, s] of rows.slice(0, 20)) console.log(`  ${k.padEnd(48)} ${c.toFixed(2).padStart(6)} ${s.toFixed(0).padStart(6)}`);
console.log(`  total ${(total / N).toFixed(0)} bytes per pending task`);
rmSync(dir, { recursive: true, force: true });
