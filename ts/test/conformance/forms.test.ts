/**
 * The coroutine forms of the conformance suite (ts/conformance/forms.ts): each reproduces
 * the CPython goldens wherever its expectations list no difference; the generated code runs
 * the scenario language's statements as the interpreter does; per-form expectations and
 * tables; the symptoms a difference is sorted by; and the runaway budget, which turns a step
 * that never yields (two injected bugs) into a TIMEOUT of that scenario while the run goes on.
 */
import * as asyncio from "../../asyncio/index.js";
import { generate } from "../../conformance/codegen.js";
import { Expectations } from "../../conformance/expectations.js";
import { FORMS, runScenario, unavailable, type Form } from "../../conformance/forms.js";
import { IsolatedTulip, TulipImplementation } from "../../conformance/implementations.js";
import { classify, formTable, runConformance } from "../../conformance/runner.js";
import { BUDGET, _testing } from "../../conformance/runtime.js";
import { loadScenarios, readGolden, select, type Scenario } from "../../conformance/scenario.js";
import { SYMPTOMS, symptom } from "../../conformance/symptoms.js";

const scenarios = loadScenarios();
const expectations = Expectations.load("tulip");
const compiledMissing = await unavailable("compiled");
if (compiledMissing !== null) console.warn(`forms.test: the compiled form is skipped: ${compiledMissing}`);
const running = FORMS.filter((f) => f !== "compiled" || compiledMissing === null);

test.each(running.filter((f) => f !== "generator"))("the %s form reproduces the golden trace of every scenario it lists no difference for", async (form) => {
  const differing: string[] = [];
  for (const sc of scenarios.filter((s) => expectations.for(s.id, form) === null)) {
    const got = await runScenario(sc, form).catch((e) => [`ERROR ${e}`]);
    if (got.join("\n") !== readGolden(sc.id)!.join("\n")) differing.push(sc.id);
  }
  expect(differing).toEqual([]);
});

// ---- the generated code runs the statements as the interpreter does ----

const sleep0 = { await: { asyncio: "sleep", args: [0] } };
/** Every statement and clause of the language, in one task (so that no form starts a body early). */
const statements: Scenario = {
  id: "forms/statements", description: "", features: ["tasks"], clock: "virtual",
  coroutines: {
    inner: { params: ["x"], body: [sleep0, { if: { gt: ["$x", 1] }, then: [{ return: { mul: ["$x", 10] } }], else: [{ raise: { exc: "ValueError", args: ["small"] } }] }] },
    finally_wins: { body: [{ try: [{ return: 1 }], finally: [sleep0, { return: 2 }] }] },
    new: { params: ["delete"], body: [{ return: "$delete" }] },
  },
  functions: {
    cb: { params: ["a", "b"], body: [{ trace: "cb", values: ["$a", "$b"] }, { do: { method: "set_result", on: "$fut", args: [{ add: ["$a", "$b"] }] } }] },
    bad: { body: [{ raise: { exc: "RuntimeError", args: ["in callback"] } }] },
  },
  main: [
    { do: { loop: "create_future" }, as: "fut" },
    { do: { loop: "call_soon", args: [{ fn: "cb" }, 1, 2] } },
    { do: { loop: "call_soon", args: [{ fn: "bad" }] } },
    { await: "$fut", as: "sum" },
    { trace: "sum", values: ["$sum"] },
    { do: 0, as: "i" },
    { while: true, body: [
      { do: { add: ["$i", 1] }, as: "i" },
      { if: { eq: [{ mod: ["$i", 2] }, 0] }, then: [{ continue: null }] },
      { if: { gt: ["$i", 5] }, then: [{ break: null }] },
      { trace: "odd", values: ["$i"] },
    ] },
    { for: "x", in: [1, 2, 3], body: [
      { try: [{ await: { coro: "inner", args: ["$x"] }, as: "r" }],
        except: [{ types: ["KeyError", "ValueError"], as: "e", body: [{ trace: "caught", values: ["$e"] }, { if: { eq: ["$x", 3] }, then: [{ raise: null }] }] }],
        else: [{ trace: "else", values: ["$r"] }, { if: { eq: ["$x", 2] }, then: [{ break: null }] }],
        finally: [{ trace: "finally", values: ["$x"] }] },
    ] },
    { try: [{ try: [{ raise: { exc: "ValueError", args: ["inner"] } }], except: [{ body: [sleep0, { raise: null }] }] }],
      except: [{ types: ["Exception"], as: "e", body: [{ trace: "reraised", values: ["$e"] }] }] },
    { await: { coro: "finally_wins" }, as: "fw" },
    { await: { coro: "new", args: ["reserved"] }, as: "nw" },
    { trace: "returns", values: ["$fw", "$nw"] },
    { do: { asyncio: "Lock" }, as: "lock" },
    { async_with: "$lock", body: [{ trace: "locked", values: [{ method: "locked", on: "$lock" }] }] },
    { try: [{ async_with: { asyncio: "timeout", args: [0.01] }, as: "cm", body: [{ await: { asyncio: "sleep", args: [1] } }] }],
      except: [{ types: ["TimeoutError"], body: [{ trace: "timed out", values: [{ method: "expired", on: "$cm" }, { loop: "time" }] }] }] },
    { trace: "unlocked", values: [{ method: "locked", on: "$lock" }] },
  ],
};

test.each(running)("the %s form runs every statement as the interpreter does", async (form) => {
  const reference = await runScenario(statements, "generator");
  expect(reference.join("\n")).toContain('trace ["timed out",true,0.01]');
  expect(reference.join("\n")).toContain('trace ["returns",2,"reserved"]');
  expect(await runScenario(statements, form)).toEqual(reference);
});

test("the generated source: real async functions, plain functions, JavaScript's own control flow", () => {
  const { source, names } = generate(statements);
  expect(source).toContain("async function inner(x) {");
  expect(source).toContain("async function new_(delete_) {"); // reserved words are renamed
  expect(source).toContain("function cb(a, b) {");
  expect(source).toMatch(/\$rt\.bind\(\$f, "r", await \$rt\.awaitable\(\$rt\.ev\(\{"coro":"inner","args":\["\$x"\]\}, \$f\)\)\);/);
  expect(source).toContain("} finally {");
  expect(names).toEqual({ coroutines: { inner: "inner", finally_wins: "finally_wins", new: "new_" }, functions: { cb: "cb", bad: "bad" }, main: "main" });
  expect(() => new Function("$rt", source)).not.toThrow();
});

test("plain: a coroutine really is called as an async function (its body starts at the call)", async () => {
  const [sc] = select(scenarios, ["tasks/lazy-start"]);
  const plain = await runScenario(sc, "plain");
  const lazy = await runScenario(sc, "lazy");
  expect(lazy).toEqual(readGolden(sc.id));
  // The first coroutine's start is traced inside main's step, under main's name.
  const start = (lines: string[]) => lines.findIndex((l) => / start \["(?!main)/.test(l));
  expect(plain[start(plain)]).toMatch(/^0\.0000 1 main start/);
  expect(lazy[start(lazy)]).not.toMatch(/ main start/);
});

// ---- expectations, tables, symptoms ----

const sc = (id: string, features = ["tasks"]) => ({ id, description: "", features, clock: "virtual", main: [] }) as Scenario;
const t = (...lines: string[]) => ({ kind: "trace" as const, lines });

test("expectations are per form; one that passes in its form is FIXED", () => {
  const ex = new Expectations([{ ids: ["area/*"], forms: ["plain"], status: "FAIL", reason: "starts early" }]);
  expect(ex.for("area/one", "plain")?.reason).toBe("starts early");
  expect(ex.for("area/one", "lazy")).toBeNull();
  expect(ex.for("area/one")).toBeNull(); // the generator form
  expect(classify(sc("area/one"), t("a"), t("b"), ex, 0, "plain")).toMatchObject({ form: "plain", asExpected: true });
  expect(classify(sc("area/one"), t("a"), t("a"), ex, 0, "plain")).toMatchObject({ status: "PASS", asExpected: false });
  expect(classify(sc("area/one"), t("a"), t("b"), ex, 0, "lazy")).toMatchObject({ status: "FAIL", asExpected: false });
  expect(() => new Expectations([{ ids: ["x"], forms: ["eager"], status: "FAIL", reason: "r" }])).toThrow(/forms must be among/);
});

test("the per-form, per-area table", () => {
  const ex = new Expectations([{ ids: ["b/*"], forms: ["plain"], status: "FAIL", reason: "r" }]);
  const results = (["generator", "plain"] as Form[]).flatMap((f) => [
    classify(sc("a/one"), t("x"), t("x"), ex, 0, f), classify(sc("b/two"), t("x"), t(f === "plain" ? "y" : "x"), ex, 0, f),
    classify(sc("b/three"), t("x"), f === "plain" ? { kind: "timeout" } : t("x"), ex, 0, f),
  ]);
  const lines = formTable(results).split("\n");
  expect(lines[0]).toMatch(/^area\s+generator\s+plain$/);
  expect(lines[2]).toMatch(/^a\s+1\/1\s+1\/1$/);
  expect(lines[3]).toMatch(/^b\s+2\/2\s+0\/2 1 known 1 TIMEOUT$/);
  expect(lines[5]).toMatch(/^TOTAL\s+3\/3\s+1\/3 1 known 1 TIMEOUT$/);
});

test("symptoms: a difference is sorted by what its trace shows", () => {
  const ref = ["0.0000 1 main start [\"main\"]", "0.0000 2 w start [\"w\"]", "0.1000 3 w raise [\"w\",{\"exc\":\"CancelledError\",\"msg\":\"\"}]", "0.1000 3 runner return [null]"];
  expect(symptom(sc("x/y"), ref, t(...ref))).toBeNull();
  expect(symptom(sc("x/y"), ref, { kind: "timeout" })).toBe(SYMPTOMS.timeout);
  expect(symptom(sc("x/y"), ref, { kind: "error", message: "ScenarioError: name 't1' is not bound" })).toBe(SYMPTOMS["early-name"]);
  expect(symptom(sc("x/y"), ref, t(ref[0], "0.0000 1 main start [\"w\"]", "0.0000 2 loop deadlock []"))).toBe(SYMPTOMS.hang);
  expect(symptom(sc("x/y"), ref, t(ref[0], "0.0000 1 main start [\"w\"]", "1.0000 3 main return [\"w\",null]", "1.0000 3 runner return [null]")))
    .toBe(SYMPTOMS["cancel-lost"]);
  expect(symptom(sc("x/y"), ref, t(ref[0], "0.0000 1 main start [\"w\"]", "0.1000 3 main raise [\"w\",{\"exc\":\"CancelledError\",\"msg\":\"\"}]", ref[3])))
    .toBe(SYMPTOMS.order);
  expect(symptom(sc("x/y"), ref, t(ref[0], ref[1], ref[1], ref[2], ref[3]))).toBe(SYMPTOMS["runs-refused"]);
});

// ---- a step that never yields ----

/** Bug 1: `sleep(0)` returns at once instead of yielding to the loop. */
function injectSleep0ReturnsAtOnce(): () => void {
  _testing.asyncio.sleep = asyncio.coroutine(function* sleep(delay: number, result?: unknown) {
    if (delay <= 0) return result ?? null;
    return yield* asyncio.sleep(delay, result) as unknown as Generator<unknown, unknown, unknown>;
  });
  return () => { delete _testing.asyncio.sleep; };
}

/** Bug 2, a monkeypatch of the loop: a callback scheduled while a batch runs joins that batch. */
function injectRequeueIntoRunningBatch(): () => void {
  const proto = asyncio.BaseEventLoop.prototype as unknown as Record<string, any>;
  const original = proto._schedule;
  proto._schedule = function (this: Record<string, any>, ...args: unknown[]) {
    const handle = original.apply(this, args);
    if (this._inBatch) this._ntodo++;
    return handle;
  };
  return () => { proto._schedule = original; };
}

const spinning = select(scenarios, ["errors/iteration-limit", "callbacks/soon-later0-soon", "timers/ties-12", "tasks/many-sleepers"]);

test.each([
  ["sleep(0) returns at once", injectSleep0ReturnsAtOnce, "statements"],
  ["a callback re-queued into the running batch", injectRequeueIntoRunningBatch, "statements"],
  ["a callback re-queued into the running batch (caught by the callback budget)", injectRequeueIntoRunningBatch, "handles"],
] as const)("a step that never yields (%s) is a TIMEOUT of its scenario, and the run goes on", async (_name, inject, budget) => {
  const saved = { ...BUDGET };
  if (budget === "handles") BUDGET.statements = Number.MAX_SAFE_INTEGER;
  const restore = inject();
  const t0 = performance.now();
  try {
    const { results } = await runConformance(spinning, {
      mode: "golden", jobs: 1, timeoutMs: 20000, expectations: new Expectations([]), progress: false, forms: ["generator", "lazy", "plain"],
    });
    expect(results).toHaveLength(spinning.length * 3);
    for (const form of ["generator", "lazy"]) {
      const r = results.find((x) => x.id === "errors/iteration-limit" && x.form === form)!;
      expect(r.status).toBe("TIMEOUT");
      expect(r.message).toMatch(new RegExp(`ran more than|scheduled more than.*callbacks`));
      expect(r.message).toContain(budget === "handles" ? "callbacks" : "scenario statements");
    }
    // Every other scenario has a result of its own (PASS or FAIL under the bug).
    expect(results.filter((r) => r.id !== "errors/iteration-limit").every((r) => r.status === "PASS" || r.status === "FAIL")).toBe(true);
  } finally {
    restore();
    Object.assign(BUDGET, saved);
  }
  expect(performance.now() - t0).toBeLessThan(15000);
  // Nothing is left broken: the next run is exact again.
  const [one] = select(scenarios, ["errors/iteration-limit"]);
  expect(await new TulipImplementation("lazy").run(one, 10000)).toEqual({ kind: "trace", lines: readGolden(one.id) });
}, 60000);

// ---- the watchdog: tulip in a worker thread ----

const bugs = (bug: string) => [new URL(`../fixtures/conformance_bugs.js?bug=${bug}`, import.meta.url).href];

test("in a worker thread, tulip gives the same traces", async () => {
  const tulip = new IsolatedTulip("lazy");
  try {
    for (const one of select(scenarios, ["timers/ties-12", "tasks/lazy-start"])) {
      expect(await tulip.run(one, 10000)).toEqual({ kind: "trace", lines: readGolden(one.id) });
    }
  } finally {
    await tulip.stop();
  }
});

test.each([
  ["loop", /did not answer in 1 s \(its thread was stopped\)/],
  ["memory", /ran out of memory \(64 MB\)/],
])("a hang no budget sees (bug: %s) is a TIMEOUT; the next run gets a fresh worker", async (bug, message) => {
  const [timer] = select(scenarios, ["timers/ties-12"]);
  const [noTimer] = select(scenarios, ["callbacks/soon-later0-soon"]); // call_soon and call_later(0): both hit
  const [plainTask] = select(scenarios, ["tasks/lazy-start"]);
  const tulip = new IsolatedTulip("generator", { preload: bugs(bug), memoryMb: 64, graceMs: 500 });
  try {
    const t0 = performance.now();
    const outcome = await tulip.run(timer, 500);
    expect(outcome).toMatchObject({ kind: "timeout" });
    expect((outcome as { message: string }).message).toMatch(message);
    expect(performance.now() - t0).toBeLessThan(10000);
    expect(await tulip.run(noTimer, 500)).toMatchObject({ kind: "timeout" });
    // A scenario that never calls call_later still runs, in the replacement worker.
    expect(await tulip.run(plainTask, 5000)).toEqual({ kind: "trace", lines: readGolden(plainTask.id) });
  } finally {
    await tulip.stop();
  }
}, 60000);
