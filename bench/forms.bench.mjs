// Coroutine forms (issue 13, item 4): the grid form × {10, 100, 1000} tasks for three workloads
// — sleep(0) steps, task create+await, Queue put/get pairs — and bytes per pending task, for
// each of tulip's four coroutine forms beside CPython 3.11 asyncio and uvloop
// (bench/forms_anchor.py, the same programs):
//
//   generator  asyncio.coroutine(function* …) with yield*   (defined below)
//   lazy       asyncio.coroutine(async function …)          (defined below)
//   plain      plain async functions, called: create_task(worker())   (bench/forms_plain.mjs)
//   compiled   bench/forms_plain.mjs, the very same source, run through tulip's compile step
//              (`transform` from dist/compile.js; a row says so when that is not built yet)
//
// Every form and every anchor runs in a worker process of its own (a form's code shapes the
// JIT's view of the core: one form per process, as a program has), answering one line per
// command. Each cell: a warm-up run of every implementation, then ROUNDS rounds in which each
// runs once (interleaved, in an order rotated every round, so the machine's load drift is
// spread over all of them), best rate kept. Each run checks its own count of operations (and
// their sum) and has a deadline: a form that deadlocks, mis-counts or throws fails its cell,
// the bench goes on (a worker that timed out is killed and restarted) and exits non-zero.
//
// Bytes per pending task: a fresh process per form (and per Python measure) makes TASKS tasks
// each awaiting one Event.wait() and reports the growth of RSS, and of the V8 heap
// (process.memoryUsage().heapUsed after global.gc()) on the Node side, of tracemalloc's traced
// memory on the Python side (Python allocations only), over the state before the tasks.
//
//   npm run bench forms
//   BENCH_N=50000 BENCH_ROUNDS=1 BENCH_MEM_TASKS=20000 npm run bench forms   (a quick run)
//   BENCH_FORMS=generator,plain npm run bench forms                          (some forms only)
import { spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { importCompiled, lineWorker, root, venvPython } from "./_harness.mjs";

const N = Number(process.env.BENCH_N ?? 200000); // sleep(0) steps per run; create+await and queue pairs: N / 4
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TASKS = (process.env.BENCH_TASKS ?? "10,100,1000").split(",").map(Number);
const MEM_TASKS = Number(process.env.BENCH_MEM_TASKS ?? 100000);
const QUEUE_MAXSIZE = Number(process.env.BENCH_QUEUE_MAXSIZE ?? 1);
const CELL_TIMEOUT = Number(process.env.BENCH_CELL_TIMEOUT ?? 30); // seconds, per run of one implementation
const FORMS = ["generator", "lazy", "plain", "compiled"];
const WANTED_FORMS = process.env.BENCH_FORMS ? process.env.BENCH_FORMS.split(",") : FORMS;
const ANCHORS = { "CPython asyncio": "asyncio", uvloop: "uvloop" };
const WORKLOADS = {
  sleep: { title: "sleep(0) steps", unit: "steps/s", ops: N },
  spawn: { title: "task create+await", unit: "child tasks/s", ops: N / 4 },
  queue: { title: `Queue put/get pairs (Queue(${QUEUE_MAXSIZE}) per pair)`, unit: "pairs/s", ops: N / 4 },
};
const SELF = fileURLToPath(import.meta.url);

// ---- the forms (tulip side, in the worker processes) ----

/** Generator and lazy forms of bench/forms_plain.mjs's programs (same shape, line for line). */
function inlineForms(asyncio) {
  const co = asyncio.coroutine;
  const generator = {};
  {
    const sleepWorker = co(function* sleepWorker(k, c) {
      for (let i = 0; i < k; i++) {
        yield* asyncio.sleep(0);
        c.n++;
      }
    });
    generator.sleepMain = co(function* sleepMain(tasks, k, c) {
      const workers = [];
      for (let i = 0; i < tasks; i++) workers.push(asyncio.create_task(sleepWorker(k, c)));
      yield* asyncio.gather(...workers);
    });
    const child = co(function* child(c) {
      c.n++;
      return 1;
    });
    const spawnWorker = co(function* spawnWorker(k, c) {
      let sum = 0;
      for (let i = 0; i < k; i++) sum += yield* asyncio.create_task(child(c));
      c.sum += sum;
    });
    generator.spawnMain = co(function* spawnMain(tasks, k, c) {
      const workers = [];
      for (let i = 0; i < tasks; i++) workers.push(asyncio.create_task(spawnWorker(k, c)));
      yield* asyncio.gather(...workers);
    });
    const producer = co(function* producer(q, k) {
      for (let i = 0; i < k; i++) yield* q.put(i);
    });
    const consumer = co(function* consumer(q, k, c) {
      let sum = 0;
      for (let i = 0; i < k; i++) {
        sum += yield* q.get();
        c.n++;
      }
      c.sum += sum;
    });
    generator.queueMain = co(function* queueMain(tasks, k, maxsize, c) {
      const workers = [];
      for (let i = 0; i < tasks; i++) {
        const q = new asyncio.Queue(maxsize);
        workers.push(asyncio.create_task(producer(q, k)), asyncio.create_task(consumer(q, k, c)));
      }
      yield* asyncio.gather(...workers);
    });
    const waiter = co(function* waiter(ev, c) {
      yield* ev.wait();
      c.n++;
    });
    generator.memMain = co(function* memMain(tasks, c, measure) {
      const ev = new asyncio.Event();
      const waiters = [];
      for (let i = 0; i < tasks; i++) waiters.push(asyncio.create_task(waiter(ev, c)));
      yield* asyncio.sleep(0);
      yield* asyncio.sleep(0);
      c.measured = measure();
      ev.set();
      yield* asyncio.gather(...waiters);
    });
  }
  const lazy = {};
  {
    const sleepWorker = co(async function sleepWorker(k, c) {
      for (let i = 0; i < k; i++) {
        await asyncio.sleep(0);
        c.n++;
      }
    });
    lazy.sleepMain = co(async function sleepMain(tasks, k, c) {
      const workers = [];
      for (let i = 0; i < tasks; i++) workers.push(asyncio.create_task(sleepWorker(k, c)));
      await asyncio.gather(...workers);
    });
    const child = co(async function child(c) {
      c.n++;
      return 1;
    });
    const spawnWorker = co(async function spawnWorker(k, c) {
      let sum = 0;
      for (let i = 0; i < k; i++) sum += await asyncio.create_task(child(c));
      c.sum += sum;
    });
    lazy.spawnMain = co(async function spawnMain(tasks, k, c) {
      const workers = [];
      for (let i = 0; i < tasks; i++) workers.push(asyncio.create_task(spawnWorker(k, c)));
      await asyncio.gather(...workers);
    });
    const producer = co(async function producer(q, k) {
      for (let i = 0; i < k; i++) await q.put(i);
    });
    const consumer = co(async function consumer(q, k, c) {
      let sum = 0;
      for (let i = 0; i < k; i++) {
        sum += await q.get();
        c.n++;
      }
      c.sum += sum;
    });
    lazy.queueMain = co(async function queueMain(tasks, k, maxsize, c) {
      const workers = [];
      for (let i = 0; i < tasks; i++) {
        const q = new asyncio.Queue(maxsize);
        workers.push(asyncio.create_task(producer(q, k)), asyncio.create_task(consumer(q, k, c)));
      }
      await asyncio.gather(...workers);
    });
    const waiter = co(async function waiter(ev, c) {
      await ev.wait();
      c.n++;
    });
    lazy.memMain = co(async function memMain(tasks, c, measure) {
      const ev = new asyncio.Event();
      const waiters = [];
      for (let i = 0; i < tasks; i++) waiters.push(asyncio.create_task(waiter(ev, c)));
      await asyncio.sleep(0);
      await asyncio.sleep(0);
      c.measured = measure();
      ev.set();
      await asyncio.gather(...waiters);
    });
  }
  return { generator, lazy };
}

/**
 * Loads a form: its { sleepMain, spawnMain, queueMain, memMain }, or { skip: reason } when the
 * compiled form cannot be made (dist/compile.js not built yet), plus a note to print.
 */
async function loadForm(form, asyncio) {
  if (form === "generator" || form === "lazy") return { mains: inlineForms(asyncio)[form] };
  const plainPath = `${root}/bench/forms_plain.mjs`;
  if (form === "plain") return { mains: await import(pathToFileURL(plainPath).href) };
  // compiled: the same source through tulip's compile step.
  const c = await importCompiled(plainPath);
  if (c.skip) return c;
  const mains = c.module;
  // Cheap proof that the step did its work: a compiled coroutine function's call is lazy.
  const probe = mains.sleepMain(0, 0, { n: 0, sum: 0 });
  if (probe instanceof Promise) return { skip: "compiled: transform left the async functions as they were (their calls return Promises)" };
  probe.close?.();
  return { mains, note: `transform of bench/forms_plain.mjs (${c.chars} chars): ${c.ms.toFixed(1)} ms, cold` };
}

const expectedSum = (workload, tasks, k) => (workload === "spawn" ? tasks * k : workload === "queue" ? (tasks * k * (k - 1)) / 2 : 0);

/** `--worker FORM`: answers the parent's commands, one JSON line each (as bench/forms_anchor.py). */
async function worker(form) {
  const asyncio = await import(pathToFileURL(`${root}/dist/asyncio/index.js`).href);
  const loop = asyncio.new_event_loop();
  asyncio.set_event_loop(loop);
  const loaded = await loadForm(form, asyncio);
  const { mains } = loaded;
  // Every form's main is started lazily, inside its task (a zero-argument function is a lazy
  // coroutine to tulip): `run_until_complete(main())` of a plain async main runs its body before
  // the loop does, and its first create_task fails with "no running event loop" (issue 13).
  const runOnce = async (workload, tasks, ops, maxsize) => {
    const k = Math.floor(ops / tasks);
    const c = { n: 0, sum: 0 };
    const main = workload === "sleep" ? () => mains.sleepMain(tasks, k, c)
      : workload === "spawn" ? () => mains.spawnMain(tasks, k, c)
      : () => mains.queueMain(tasks, k, maxsize, c);
    const t0 = process.hrtime.bigint();
    await loop.run_until_complete(main);
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    const sum = expectedSum(workload, tasks, k);
    if (c.n !== tasks * k || c.sum !== sum) return { error: `miscount: ${c.n} ops (sum ${c.sum}), expected ${tasks * k} (sum ${sum})` };
    return { rate: c.n / dt, n: c.n };
  };
  const answer = async (words) => {
    if (words[0] === "hello") {
      if (loaded.skip) return { skip: loaded.skip };
      // JIT warm-up of every workload before the first timed cell.
      for (const w of Object.keys(WORKLOADS)) for (let i = 0; i < 3; i++) await runOnce(w, 100, 20000, QUEUE_MAXSIZE);
      return { ok: true, note: loaded.note };
    }
    return runOnce(words[0], Number(words[1]), Number(words[2]), Number(words[3]));
  };
  for await (const line of createInterface({ input: process.stdin })) {
    let a;
    try {
      a = await answer(line.split(" "));
    } catch (e) {
      a = { error: `${e?.name ?? "Error"}: ${e?.message ?? e}` };
    }
    process.stdout.write(JSON.stringify(a) + "\n");
  }
  loop.close();
}

/** `--mem FORM TASKS`: one fresh process, prints { rss, heap } growth for TASKS pending tasks. */
async function memCell(form, tasks) {
  const asyncio = await import(pathToFileURL(`${root}/dist/asyncio/index.js`).href);
  const loop = asyncio.new_event_loop();
  asyncio.set_event_loop(loop);
  const loaded = await loadForm(form, asyncio);
  if (loaded.skip) return console.log(JSON.stringify({ skip: loaded.skip }));
  const { memMain } = loaded.mains;
  await loop.run_until_complete(() => memMain(1000, { n: 0 }, () => null)); // warm-up
  global.gc();
  global.gc();
  const before = process.memoryUsage();
  const c = { n: 0 };
  await loop.run_until_complete(() => memMain(tasks, c, () => {
    global.gc();
    global.gc();
    const m = process.memoryUsage();
    return { rss: m.rss - before.rss, heap: m.heapUsed - before.heapUsed };
  }));
  loop.close();
  if (c.n !== tasks) return console.log(JSON.stringify({ error: `miscount: ${c.n} waiters woke, expected ${tasks}` }));
  console.log(JSON.stringify({ ...c.measured, n: tasks }));
}

// ---- the parent ----

const IMPLS = [...FORMS.filter((f) => WANTED_FORMS.includes(f)), ...Object.keys(ANCHORS)];
const isAnchor = (impl) => impl in ANCHORS;

function startWorker(impl) {
  return isAnchor(impl)
    ? lineWorker(impl, venvPython, [`${root}/bench/forms_anchor.py`, ANCHORS[impl]])
    : lineWorker(impl, process.execPath, ["--expose-gc", SELF, "--worker", impl]);
}

const fmt = (x) => (x >= 1e6 ? (x / 1e6).toFixed(2) + "M" : x >= 1e3 ? (x / 1e3).toFixed(0) + "k" : x.toFixed(0));
const ratio = (a, b) => (a > 0 && b > 0 ? (a / b).toFixed(2) + "x" : "–");

async function parent() {
  const failures = [];
  const notes = [];
  const skipped = {};
  const workers = {};
  const hello = async (impl) => {
    workers[impl] = startWorker(impl);
    const h = await workers[impl].ask("hello", CELL_TIMEOUT * 2);
    if (h.skip) {
      skipped[impl] = h.skip;
      await workers[impl].close();
      delete workers[impl];
    } else if (h.note && !notes.some((n) => n.startsWith(`${impl}: `))) notes.push(`${impl}: ${h.note}`);
  };
  for (const impl of IMPLS) {
    try {
      await hello(impl);
    } catch (e) {
      failures.push(`${impl}: start: ${e.message}`);
      skipped[impl] = `${impl}: failed to start (${e.message})`;
      delete workers[impl];
    }
  }
  const t0 = performance.now();
  const results = {}; // workload → tasks → impl → best rate, or { failed }
  for (const [workload, w] of Object.entries(WORKLOADS)) {
    results[workload] = {};
    for (const tasks of TASKS) {
      const best = (results[workload][tasks] = {});
      const live = IMPLS.filter((i) => !skipped[i]);
      for (let round = 0; round <= ROUNDS; round++) {
        const order = live.map((_, j) => live[(j + round) % live.length]);
        for (const impl of order) {
          if (best[impl]?.failed) continue;
          let a;
          try {
            if (!workers[impl]) await hello(impl); // restarted after a timeout
            a = await workers[impl].ask(`${workload} ${tasks} ${w.ops} ${QUEUE_MAXSIZE}`, CELL_TIMEOUT);
          } catch (e) {
            a = { error: e.message };
          }
          if (a.error) {
            // A worker whose run failed may hold a broken loop: the next cell gets a fresh one.
            workers[impl]?.kill();
            delete workers[impl];
            best[impl] = { failed: a.error };
            failures.push(`${impl}, ${w.title}, ${tasks} tasks: ${a.error}`);
          } else if (round > 0) {
            best[impl] = Math.max(best[impl] ?? 0, a.rate);
          }
        }
      }
    }
  }
  const gridSeconds = (performance.now() - t0) / 1000;
  await Promise.all(Object.values(workers).map((x) => x.close()));

  // Bytes per pending task: a fresh process each.
  const mem = {};
  const memTimeout = CELL_TIMEOUT * 4 * 1000;
  const runMem = (impl, cmd, argv) => {
    const r = spawnSync(cmd, argv, { cwd: root, encoding: "utf8", timeout: memTimeout, killSignal: "SIGKILL", stdio: ["ignore", "pipe", "inherit"] });
    if (r.error || r.status !== 0) return { error: r.error?.code === "ETIMEDOUT" ? `timeout after ${memTimeout / 1000} s` : `exited (${r.signal ?? r.status})` };
    try {
      return JSON.parse(r.stdout.trim().split("\n").pop());
    } catch {
      return { error: `not JSON: ${r.stdout.slice(0, 200)}` };
    }
  };
  for (const impl of IMPLS) {
    if (isAnchor(impl)) {
      const py = (how) => runMem(impl, venvPython, [`${root}/bench/forms_anchor.py`, ANCHORS[impl], "mem", String(MEM_TASKS), how]);
      const rss = py("rss");
      const tm = py("tracemalloc");
      mem[impl] = rss.error || tm.error ? { failed: rss.error ?? tm.error } : { rss: rss.bytes, heap: tm.bytes };
    } else if (!skipped[impl]) {
      const r = runMem(impl, process.execPath, ["--expose-gc", SELF, "--mem", impl, String(MEM_TASKS)]);
      mem[impl] = r.error ? { failed: r.error } : r.skip ? { failed: r.skip } : r;
    }
    if (mem[impl]?.failed) failures.push(`${impl}, bytes per pending task: ${mem[impl].failed}`);
  }

  // ---- report ----
  console.log(`Operations per second, best of ${ROUNDS} interleaved rounds after a warm-up (N = ${N}: ` +
    `${WORKLOADS.sleep.ops} sleep(0) steps, ${WORKLOADS.spawn.ops} child tasks, ${WORKLOADS.queue.ops} queue pairs per run, ` +
    `spread over the tasks; the grid took ${gridSeconds.toFixed(0)} s). Ratios above 1: tulip is faster; ` +
    `"drop" is the 10-task rate over the ${TASKS.at(-1)}-task rate (above 1: slower with more tasks).\n`);
  const cell = (v) => (v === undefined ? "–" : v.failed ? "FAIL" : fmt(v));
  const num = (v) => (typeof v === "number" ? v : 0);
  for (const [workload, w] of Object.entries(WORKLOADS)) {
    console.log(`### ${w.title} (${w.unit})\n`);
    const head = ["form", ...TASKS.map((t) => `${t} tasks`), `drop ${TASKS[0]}→${TASKS.at(-1)}`,
      `tulip / CPython (${TASKS.join(" · ")})`, `tulip / uvloop (${TASKS.join(" · ")})`];
    console.log(`| ${head.join(" | ")} |`);
    console.log(`|${head.map(() => "---").join("|")}|`);
    for (const impl of IMPLS) {
      if (skipped[impl]) {
        console.log(`| ${impl} | ${skipped[impl]} |${" |".repeat(head.length - 2)}`);
        continue;
      }
      const r = results[workload];
      const rates = TASKS.map((t) => r[t][impl]);
      const drop = ratio(num(rates[0]), num(rates.at(-1)));
      const vs = (anchor) => (isAnchor(impl) ? "" : TASKS.map((t) => ratio(num(r[t][impl]), num(r[t][anchor]))).join(" · "));
      console.log(`| ${impl} | ${rates.map(cell).join(" | ")} | ${drop} | ${vs("CPython asyncio")} | ${vs("uvloop")} |`);
    }
    console.log("");
  }
  console.log(`### bytes per pending task (${MEM_TASKS} tasks each awaiting one Event.wait(), a fresh process each)\n`);
  console.log("RSS: growth of the resident set over the state before the tasks. heap: Node, `process.memoryUsage().heapUsed` after `global.gc()`; " +
    "Python, tracemalloc's traced memory (Python allocations only, a separate run).\n");
  const mhead = ["form", "RSS bytes/task", "heap bytes/task", "RSS / CPython RSS", "RSS / uvloop RSS"];
  console.log(`| ${mhead.join(" | ")} |`);
  console.log(`|${mhead.map(() => "---").join("|")}|`);
  const per = (x) => (typeof x === "number" ? (x / MEM_TASKS).toFixed(0) : "–");
  for (const impl of IMPLS) {
    const m = mem[impl];
    if (skipped[impl] || m === undefined) {
      console.log(`| ${impl} | ${skipped[impl] ?? "–"} | | | |`);
      continue;
    }
    if (m.failed) {
      console.log(`| ${impl} | FAIL | FAIL | | |`);
      continue;
    }
    const vs = (a) => (isAnchor(impl) || !mem[a] || mem[a].failed ? "" : ratio(m.rss, mem[a].rss));
    console.log(`| ${impl} | ${per(m.rss)} | ${per(m.heap)} | ${vs("CPython asyncio")} | ${vs("uvloop")} |`);
  }
  if (notes.length) console.log(`\n${notes.map((n) => `- ${n}`).join("\n")}`);
  if (failures.length) {
    console.log(`\nFailed cells (the bench exits non-zero):\n${failures.map((f) => `- ${f}`).join("\n")}`);
    process.exitCode = 1;
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === "--worker") await worker(rest[0]);
else if (mode === "--mem") await memCell(rest[0], Number(rest[1]));
else await parent();
