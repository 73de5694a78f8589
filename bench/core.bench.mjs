// Loop core: callbacks, tasks, sleep(0), future round trips — tulip vs CPython asyncio and
// uvloop, each warmed up, best of 5, in one run. Ratios > 1 mean tulip is faster.
import * as asyncio from "../dist/asyncio/index.js";
import { opsPerSec, runPython, table } from "./_harness.mjs";

const N = Number(process.env.BENCH_N ?? 200000);
const loop = asyncio.new_event_loop();
asyncio.set_event_loop(loop);

const cases = {
  "call_soon bulk": async (n) => {
    let count = 0;
    const cb = () => { count++; };
    for (let i = 0; i < n; i++) loop.call_soon(cb);
    loop.call_soon(() => loop.stop());
    await loop.run_forever();
  },
  "call_soon chained": async (n) => {
    let left = n;
    const cb = () => { if (--left) loop.call_soon(cb); else loop.stop(); };
    loop.call_soon(cb);
    await loop.run_forever();
  },
  "task create+await": async (n) => {
    const noop = asyncio.coroutine(async function _noop() { return 1; });
    await loop.run_until_complete(asyncio.coroutine(async function main() {
      for (let i = 0; i < n; i++) await loop.create_task(noop());
    })());
  },
  "sleep(0) steps": async (n) => {
    await loop.run_until_complete(asyncio.coroutine(async function main() {
      for (let i = 0; i < n; i++) await asyncio.sleep(0);
    })());
  },
  "future round trip": async (n) => {
    await loop.run_until_complete(asyncio.coroutine(async function main() {
      for (let i = 0; i < n; i++) {
        const f = loop.create_future();
        loop.call_soon((x) => f.set_result(x), 1);
        await f;
      }
    })());
  },
};

const tulip = {};
for (const [name, fn] of Object.entries(cases)) tulip[name] = await opsPerSec(fn, N);
const cpython = runPython("core_anchor.py", ["asyncio", String(N)]);
const uvloop = runPython("core_anchor.py", ["uvloop", String(N)]);
table(Object.keys(cases).map((name) => ({ name, tulip: tulip[name], "CPython asyncio": cpython[name], uvloop: uvloop[name] })), ["CPython asyncio", "uvloop"]);
loop.close();
