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

function census() {
  globalThis.gc();
  const snap = JSON.parse(readFileSync(v8.writeHeapSnapshot(join(dir, "h.heapsnapshot")), "utf8"));
  const f = snap.snapshot.meta.node_fields, nf = f.length, types = snap.snapshot.meta.node_types[0];
  const it = f.indexOf("type"), iname = f.indexOf("name"), isz = f.indexOf("self_size");
  const m = new Map();
  for (let i = 0; i < snap.nodes.length; i += nf) {
    // A string node's name is its content: keyed by type alone, or the first census's map
    // would hold a key per distinct string of the heap and show up in the second one.
    const type = types[snap.nodes[i + it]];
    const k = type.includes("string") ? `${type}:` : `${type}:${snap.strings[snap.nodes[i + iname]].slice(0, 40)}`;
    const e = m.get(k) ?? [0, 0];
    e[0]++; e[1] += snap.nodes[i + isz];
    m.set(k, e);
  }
  return m;
}

await asyncio.run(async () => {
  const ev = new asyncio.Event();
  const warm = Array.from({ length: 1000 }, () => asyncio.create_task(w(ev)));
  await asyncio.sleep(0);
  const before = census();
  const tasks = Array.from({ length: N }, () => asyncio.create_task(w(ev)));
  await asyncio.sleep(0);
  await asyncio.sleep(0);
  const after = census();
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
  ev.set();
  await asyncio.gather(...warm, ...tasks);
});
rmSync(dir, { recursive: true, force: true });
