/**
 * Differential fuzzing: random valid scenarios from the suite's vocabulary (task trees,
 * sleeps, cancels with messages, wait_for, timeout blocks, shield, gather, callbacks that
 * cancel, task groups, wait, as_completed, a lock, a semaphore, an event and a bounded
 * queue), run on CPython and on tulip; a difference is shrunk to a small scenario and
 * written out, ready to add to spec/.
 *
 * Generated scenarios avoid what CPython itself leaves to memory addresses (spec/README.md,
 * "Things a scenario must not depend on"): main gathers its tasks at the end, and each
 * scenario is also run on CPython with tasks hashed at random; one whose trace changes (a
 * task group cancelling two children, leftovers cancelled by asyncio.run) is discarded as
 * not reproducible.
 *
 * Each generated scenario runs in every coroutine form (forms.ts) against the one CPython
 * trace; a difference that the expectations list for that form counts as known (and one so
 * listed that is identical, as fixed), any other is shrunk. With `pythonLoop: "uvloop"`
 * each usable scenario also runs on uvloop, compared with asyncio (uvloop.ts): reported, not
 * shrunk, and not counted against tulip.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Expectations } from "./expectations.js";
import { FORMS, unavailable, type Form } from "./forms.js";
import { IsolatedTulip, PythonImplementation, TulipImplementation, type Implementation, type Outcome } from "./implementations.js";
import type { PythonLoop } from "./python_loop.js";
import type { Block, Expr, Scenario, Step } from "./scenario.js";
import { compareScenario, type UvloopResult } from "./uvloop.js";

/** mulberry32: a small seeded PRNG, so a seed names the same batch everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DELAYS = [0, 0, 0.01, 0.02, 0.05, 0.1];

class Gen {
  constructor(private readonly r: () => number) {}
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
}

const sleep = (d: number): Step => ({ await: { asyncio: "sleep", args: [d] } });
const trace = (label: string, ...values: Expr[]): Step => (values.length ? { trace: label, values } : { trace: label });
const catchAll = (body: Block, label: string): Step => ({
  try: body,
  except: [{ types: ["BaseException"], as: "e", body: [trace(label, "$e"), ...[]] }],
});

/** One random statement of task `self` among `n` tasks. */
function step(g: Gen, self: number, n: number, depth: number): Step {
  const other = n > 1 ? (self + 1 + g.int(n - 1)) % n : self;
  const later = self + 1 < n ? self + 1 + g.int(n - self - 1) : -1; // await only later tasks: no cycles
  const wf = (aw: Expr, label: string): Step =>
    catchAll([{ await: { asyncio: "wait_for", args: [aw, g.pick(DELAYS)] }, as: "r" }, trace(label, "$r")], `${label} failed`);
  const helperTask = (): Expr => ({ asyncio: "create_task", args: [{ coro: "helper", args: [g.pick(DELAYS)] }] });
  switch (g.int(depth > 1 ? 6 : 19)) {
    case 16:
      return catchAll([{ async_with: { asyncio: "TaskGroup" }, as: "tg", body: [
        { do: { method: "create_task", on: "$tg", args: [{ coro: "helper", args: [g.pick(DELAYS)] }] } },
        g.chance(0.5) ? { do: { method: "create_task", on: "$tg", args: [{ coro: "failing", args: [g.pick(DELAYS)] }] } } : sleep(g.pick(DELAYS)),
        step(g, self, n, depth + 1)] }, trace("group done")], "group failed");
    case 17:
      return catchAll([{ await: { asyncio: "wait", args: [[helperTask(), helperTask()]],
        kwargs: { return_when: g.pick(["FIRST_COMPLETED", "ALL_COMPLETED", "FIRST_EXCEPTION"]) } }, as: "r" },
        trace("waited", { len: { index: ["$r", 0] } })], "wait failed");
    case 18:
      return catchAll([{ do: [helperTask(), helperTask(), helperTask()], as: "hs" },
        { for: "f", in: { asyncio: "as_completed", args: ["$hs"] }, body: [{ await: "$f", as: "r" }, trace("completed", "$r")] }],
        "as_completed failed");
    case 11: return { async_with: "$lk", body: [trace("locked", self), sleep(g.pick(DELAYS))] };
    case 12: return wf({ method: "put", on: "$q", args: [self] }, "put");
    case 13: return wf({ method: "get", on: "$q" }, "got");
    case 14: return g.chance(0.5) ? { do: { method: "set", on: "$ev" } } : wf({ method: "wait", on: "$ev" }, "event");
    case 15: return { async_with: "$sem", body: [trace("sem", self), sleep(g.pick(DELAYS))] };
    case 0: case 1: return sleep(g.pick(DELAYS));
    case 2: return trace("at", self, { loop: "time" });
    case 3:
      return g.chance(0.5)
        ? { do: { method: "cancel", on: `$t${other}` } }
        : { do: { method: "cancel", on: `$t${other}`, args: [`m${self}`] } };
    case 4: return trace("cancelling", { method: "cancelling", on: { asyncio: "current_task" } });
    case 5: return g.chance(0.3) ? { raise: { exc: "ValueError", args: [`v${self}`] } } : sleep(0);
    case 6: {
      const body: Block = [step(g, self, n, depth + 1), step(g, self, n, depth + 1)];
      const handler = g.chance(0.5) ? [trace("swallow", "$e")] : [trace("reraise", "$e"), { raise: null }];
      return { try: body, except: [{ types: ["CancelledError"], as: "e", body: handler }] };
    }
    case 7:
      return catchAll([{ await: { asyncio: "wait_for", args: [{ coro: "helper", args: [g.pick(DELAYS)] }, g.pick(DELAYS)] }, as: "r" },
        trace("wait_for", "$r")], "wait_for failed");
    case 8:
      return catchAll([{ async_with: { asyncio: "timeout", args: [g.pick(DELAYS)] }, as: "cm",
        body: [step(g, self, n, depth + 1), sleep(g.pick(DELAYS))] }, trace("in time")], "timeout block");
    case 9:
      return later >= 0 ? catchAll([{ await: `$t${later}`, as: "r" }, trace("joined", "$r")], "join failed")
        : catchAll([{ await: { asyncio: "shield", args: [{ coro: "helper", args: [g.pick(DELAYS)] }] }, as: "r" }], "shield");
    default:
      return catchAll([{ await: { asyncio: "gather", args: [{ coro: "helper", args: [g.pick(DELAYS)] },
        { coro: "helper", args: [g.pick(DELAYS)] }] }, as: "r" }, trace("gathered", "$r")], "gather failed");
  }
}

/** A random scenario; `id` names it. */
export function generate(seed: number, index: number): Scenario {
  const g = new Gen(prng(seed * 1_000_003 + index));
  const n = 1 + g.int(4);
  const coroutines: Scenario["coroutines"] = {
    helper: { params: ["d"], body: [sleep(0), { await: { asyncio: "sleep", args: ["$d"] } }, { return: "$d" }] },
    failing: { params: ["d"], body: [{ await: { asyncio: "sleep", args: ["$d"] } }, { raise: { exc: "RuntimeError", args: ["failing"] } }] },
  };
  for (let i = 0; i < n; i++) {
    const len = 1 + g.int(5);
    coroutines[`c${i}`] = { body: Array.from({ length: len }, () => step(g, i, n, 0)).concat([{ return: i }]) };
  }
  const main: Block = [
    { do: { asyncio: "Lock" }, as: "lk" }, { do: { asyncio: "Queue", args: [2] }, as: "q" },
    { do: { asyncio: "Event" }, as: "ev" }, { do: { asyncio: "Semaphore", args: [2] }, as: "sem" },
  ];
  for (let i = 0; i < n; i++) {
    main.push({ do: { asyncio: "create_task", args: [{ coro: `c${i}` }], kwargs: { name: `t${i}` } }, as: `t${i}` });
  }
  main.push({ do: Array.from({ length: n }, (_, i) => `$t${i}`), as: "ts" });
  for (let k = g.int(3); k > 0; k--) {
    main.push({ do: { loop: "call_later", args: [g.pick(DELAYS), { fn: "kill" }, g.int(n)] } });
  }
  for (let k = g.int(3); k > 0; k--) main.push(g.chance(0.5) ? sleep(g.pick(DELAYS)) : { do: { method: "cancel", on: `$t${g.int(n)}` } });
  main.push({ await: { asyncio: "gather", args: Array.from({ length: n }, (_, i) => `$t${i}`), kwargs: { return_exceptions: true } }, as: "results" });
  main.push(trace("results", "$results"));
  return {
    id: `fuzz/seed-${seed}-${index}`, description: `generated by tulip conformance fuzz --seed ${seed} (scenario ${index})`,
    features: ["tasks", "cancellation", "lock", "semaphore", "event", "queue"], clock: "virtual", coroutines,
    functions: { kill: { params: ["k"], body: [{ do: { method: "cancel", on: { index: ["$ts", "$k"] } } }] } },
    main,
  };
}

// ---- shrinking ----

/** Every variant of `sc` with one statement removed (anywhere in any block). */
function* smaller(sc: Scenario): Generator<Scenario> {
  const blocks: Block[] = [];
  const collect = (block: Block): void => {
    blocks.push(block);
    for (const s of block) {
      for (const key of ["try", "then", "else", "body", "finally"]) if (Array.isArray(s[key])) collect(s[key] as Block);
      if (Array.isArray(s.except)) for (const h of s.except as { body: Block }[]) collect(h.body);
    }
  };
  collect(sc.main);
  for (const c of Object.values(sc.coroutines ?? {})) collect(c.body);
  for (let b = 0; b < blocks.length; b++) {
    for (let i = 0; i < blocks[b].length; i++) {
      const copy = structuredClone(sc);
      const copyBlocks: Block[] = [];
      const collectCopy = (block: Block): void => {
        copyBlocks.push(block);
        for (const s of block) {
          for (const key of ["try", "then", "else", "body", "finally"]) if (Array.isArray(s[key])) collectCopy(s[key] as Block);
          if (Array.isArray(s.except)) for (const h of s.except as { body: Block }[]) collectCopy(h.body);
        }
      };
      collectCopy(copy.main);
      for (const c of Object.values(copy.coroutines ?? {})) collectCopy(c.body);
      copyBlocks[b].splice(i, 1);
      yield copy;
    }
  }
}

const same = (a: Outcome, b: Outcome) =>
  a.kind === "trace" && b.kind === "trace" && a.lines.length === b.lines.length && a.lines.every((l, i) => l === b.lines[i]);

/** The number of statements in a scenario (what shrinking reduces). */
export function size(sc: Scenario): number {
  let n = 0;
  for (const _ of smaller(sc)) n++;
  return n;
}

export interface FuzzReport {
  seed: number;
  count: number;
  /** Scenario × form runs identical to CPython. */
  identical: number;
  /** The shrunk differences written out (one file per scenario × form). */
  differing: string[];
  invalid: string[];
  notReproducible: number;
  /** Scenario × form runs that differ as the expectations say. */
  known: number;
  /** Listed as differing but identical: "ID (FORM)". */
  fixed: string[];
  forms: Partial<Record<Form, { identical: number; differing: number; known: number; fixed: number }>>;
  skipped: Partial<Record<Form, string>>;
  /** With pythonLoop uvloop: each usable scenario on uvloop against asyncio. */
  uvloop: UvloopResult[] | null;
  seconds: number;
}

export interface FuzzOptions {
  forms?: readonly Form[];
  expectations?: Expectations;
  /** Run tulip in worker threads behind a watchdog (IsolatedTulip). */
  isolate?: boolean;
  pythonLoop?: PythonLoop;
}

/**
 * A generated scenario's CPython trace, or why it is unusable: CPython refused it, or its
 * trace changes when tasks hash at random (it depends on set order).
 */
export async function fuzzReference(py: PythonImplementation, sc: Scenario): Promise<Outcome | "invalid" | "unstable"> {
  const ref = await py.run(sc, 10000);
  if (ref.kind !== "trace") return "invalid";
  if (!same(ref, await py.run(sc, 10000, { shuffleSeed: 1 })) || !same(ref, await py.run(sc, 10000, { shuffleSeed: 2 }))) return "unstable";
  return ref;
}

const statusOf = (o: Outcome) => (o.kind === "trace" ? "FAIL" : o.kind === "error" ? "ERROR" : "TIMEOUT");

/**
 * Runs `count` generated scenarios on CPython and on tulip in each form; differences are
 * shrunk and written to outDir. `options` may instead be one Implementation to compare
 * (as the generator form).
 */
export async function fuzz(seed: number, count: number, outDir: string, log: (s: string) => void = () => {},
  options: FuzzOptions | Implementation = {}): Promise<FuzzReport> {
  const t0 = performance.now();
  const given = "run" in options ? options : null;
  const opts: FuzzOptions = given === null ? options as FuzzOptions : {};
  const expectations = opts.expectations ?? new Expectations([]);
  const report: FuzzReport = {
    seed, count, identical: 0, differing: [], invalid: [], notReproducible: 0, known: 0, fixed: [], forms: {}, skipped: {}, seconds: 0,
    uvloop: opts.pythonLoop === "uvloop" ? [] : null,
  };
  const tulips = new Map<Form, Implementation>();
  for (const form of given === null ? (opts.forms ?? FORMS) : ["generator" as const]) {
    const why = given === null ? await unavailable(form) : null;
    if (why !== null) report.skipped[form] = why;
    else tulips.set(form, given ?? (opts.isolate ? new IsolatedTulip(form) : new TulipImplementation(form)));
  }
  for (const form of tulips.keys()) report.forms[form] = { identical: 0, differing: 0, known: 0, fixed: 0 };
  const py = new PythonImplementation();
  await py.start();
  const uv = report.uvloop === null ? null : new PythonImplementation("uvloop");
  try {
    await uv?.start();
  } catch (e) {
    await py.stop();
    throw e;
  }
  const reference = (sc: Scenario) => fuzzReference(py, sc);
  const differs = async (sc: Scenario, tulip: Implementation): Promise<boolean> => {
    const ref = await reference(sc);
    return typeof ref !== "string" && !same(ref, await tulip.run(sc, 10000));
  };
  try {
    for (let i = 0; i < count; i++) {
      const sc = generate(seed, i);
      const ref = await reference(sc);
      if (ref === "unstable") report.notReproducible++;
      else if (ref === "invalid") report.invalid.push(sc.id);
      if (typeof ref === "string") continue;
      if (uv !== null) report.uvloop!.push(await compareScenario(sc.id, "fuzz", ref, (how) => uv.run(sc, 10000, how)));
      for (const [form, tulip] of tulips) {
        const got = await tulip.run(sc, 10000);
        const expected = expectations.for(sc.id, form);
        const tally = report.forms[form]!;
        if (same(ref, got)) {
          report.identical++;
          tally.identical++;
          if (expected !== null && expected.status !== "SKIP") {
            report.fixed.push(`${sc.id} (${form})`);
            tally.fixed++;
          }
          continue;
        }
        if (expected?.status === statusOf(got)) {
          report.known++;
          tally.known++;
          continue;
        }
        tally.differing++;
        let small = sc;
        for (let budget = 300, progress = true; progress && budget > 0;) {
          progress = false;
          for (const candidate of smaller(small)) {
            if (--budget <= 0) break;
            if (await differs(candidate, tulip)) {
              small = candidate;
              progress = true;
              break;
            }
          }
        }
        mkdirSync(outDir, { recursive: true });
        const file = join(outDir, `${sc.id.replace("/", "-")}${form === "generator" ? "" : `-${form}`}.json`);
        const description = `shrunk differences found by tulip conformance fuzz (${form} form)`;
        writeFileSync(file, JSON.stringify({ area: "fuzz", description, scenarios: [small] }, null, 1) + "\n");
        report.differing.push(file);
        log(`difference (${form}): ${sc.id} -> ${file}`);
      }
    }
  } finally {
    await py.stop();
    await uv?.stop();
    if (given === null) await Promise.all([...tulips.values()].map((t) => t.stop()));
  }
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}
