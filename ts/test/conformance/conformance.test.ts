/**
 * The conformance machinery: tulip's traces equal the goldens blessed from CPython for every
 * scenario without a known difference; the runner's classification, diffs and expectations;
 * the live protocol against the project's Python.
 */
import * as net from "node:net";
import { Expectations } from "../../conformance/expectations.js";
import { unifiedDiff } from "../../conformance/diff.js";
import { BridgePythonImplementation, PythonImplementation, type Outcome } from "../../conformance/implementations.js";
import { runScenario } from "../../conformance/interpreter.js";
import { classify, count, table, unexpected } from "../../conformance/runner.js";
import { loadScenarios, readGolden, select, type Scenario } from "../../conformance/scenario.js";
import { formatTime } from "../../conformance/trace.js";

const scenarios = loadScenarios();
const expectations = Expectations.load("tulip");

test("there are at least 200 scenarios, each with a golden trace", () => {
  expect(scenarios.length).toBeGreaterThanOrEqual(200);
  expect(scenarios.filter((s) => readGolden(s.id) === null).map((s) => s.id)).toEqual([]);
});

test("tulip reproduces the CPython golden trace of every scenario without a known difference", async () => {
  const differing: string[] = [];
  for (const sc of scenarios.filter((s) => expectations.for(s.id) === null)) {
    const got = await runScenario(sc).catch((e) => [`ERROR ${e}`]);
    if (got.join("\n") !== readGolden(sc.id)!.join("\n")) differing.push(sc.id);
  }
  expect(differing).toEqual([]);
});

test("a hand-checked trace: call_soon / call_later(0) / call_soon runs A C B", async () => {
  const [sc] = select(scenarios, ["callbacks/soon-later0-soon"]);
  const calls = (await runScenario(sc)).filter((l) => l.includes(" call ")).map((l) => l.split(" ").slice(2).join(" "));
  expect(calls).toEqual(['cb call ["A"]', 'cb call ["C"]', 'cb call ["B"]']);
});

test("a broken protocol callback ends the run with a ScenarioError instead of leaving main waiting", async () => {
  // The peer is the test's own server, so that the test can close both ends afterwards.
  const accepted: net.Socket[] = [];
  const server = net.createServer((s) => accepted.push(s));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const broken = {
    id: "x/y", description: "d", features: ["protocols"], clock: "real",
    functions: { made: { params: ["t"], body: [{ do: "$nowhere" }] } },
    main: [
      { do: { loop: "create_future" }, as: "never" },
      { await: { loop: "create_connection", args: [{ protocol: { connection_made: "made" } }, "127.0.0.1", port] } },
      { await: "$never" },
    ],
  } as unknown as Scenario;
  try {
    await expect(runScenario(broken)).rejects.toThrow(/nowhere/);
  } finally {
    for (const s of accepted) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
  const unknown = { ...broken, main: [{ do: { protocol: { buffer_updated: "made" } } }] } as unknown as Scenario;
  await expect(runScenario(unknown)).rejects.toThrow(/not a protocol callback: buffer_updated/);
});

test("time is formatted as Python's '%.4f' (ties to even)", () => {
  expect([0, 0.30000000000000004, 0.03125, 0.09375, 172800].map(formatTime)).toEqual(
    ["0.0000", "0.3000", "0.0312", "0.0938", "172800.0000"]);
  expect(formatTime(null)).toBe("-");
});

// ---- the runner ----
const sc = { id: "area/one", description: "", features: ["tasks"], clock: "virtual", main: [] } as Scenario;
const trace = (...lines: string[]): Outcome => ({ kind: "trace", lines });

test("classify: PASS, FAIL with a diff, ERROR, TIMEOUT, reference errors", () => {
  const none = new Expectations([]);
  expect(classify(sc, trace("a", "b"), trace("a", "b"), none).status).toBe("PASS");
  const fail = classify(sc, trace("a", "b", "c"), trace("a", "x", "c"), none);
  expect(fail.status).toBe("FAIL");
  expect(fail.diff).toContain("-b\n+x");
  expect(classify(sc, trace("a"), { kind: "error", message: "boom" }, none)).toMatchObject({ status: "ERROR", message: "boom" });
  expect(classify(sc, trace("a"), { kind: "timeout" }, none).status).toBe("TIMEOUT");
  expect(classify(sc, { kind: "error", message: "bad scenario" }, trace("a"), none).message).toBe("reference: bad scenario");
});

test("expectations: a known failure is expected; one that passes is reported as fixed", () => {
  const ex = new Expectations([{ ids: ["area/*"], status: "FAIL", reason: "a documented difference" }]);
  const known = classify(sc, trace("a"), trace("b"), ex);
  const fixed = classify(sc, trace("a"), trace("a"), ex);
  const wrong = classify(sc, trace("a"), { kind: "error", message: "x" }, ex);
  expect(known).toMatchObject({ asExpected: true, reason: "a documented difference" });
  expect(fixed).toMatchObject({ status: "PASS", asExpected: false });
  expect(wrong.asExpected).toBe(false);
  expect(count([known, fixed, wrong])).toMatchObject({ known: 1, fixed: 1, error: 1 });
  expect(unexpected([known, fixed, wrong])).toEqual([fixed, wrong]);
  expect(table([known, fixed, wrong])).toMatch(/area\s+0\s+1\s+0\s+1\s+0\s+0\s+1\s+3/);
  expect(() => new Expectations([{ ids: ["x"], status: "FAIL", reason: "" }])).toThrow(/no reason/);
});

test("unified diff: hunk header and context", () => {
  const d = unifiedDiff(["1", "2", "3", "4", "5", "6", "7", "8"], ["1", "2", "3", "4", "X", "6", "7", "8"], "a", "b", 2);
  expect(d.split("\n")).toEqual(["--- a", "+++ b", "@@ -3,5 +3,5 @@", " 3", " 4", "-5", "+X", " 6", " 7"]);
});

test("live protocol: the CPython interpreter answers with the golden trace", async () => {
  const py = new PythonImplementation();
  await py.start();
  try {
    const [one] = select(scenarios, ["timers/ties-12"]);
    expect(await py.run(one, 20000)).toEqual({ kind: "trace", lines: readGolden(one.id) });
    const broken = await py.run({ ...one, main: [{ do: "$nowhere" }] }, 20000);
    expect(broken).toMatchObject({ kind: "error" });
  } finally {
    await py.stop();
  }
});

test("over the bridge: the CPython interpreter answers with the golden trace", async () => {
  const py = new BridgePythonImplementation();
  await py.start();
  try {
    expect(py.version).toMatch(/^3\.11\./);
    const [one] = select(scenarios, ["cancellation/message"]);
    expect(await py.run(one, 20000)).toEqual({ kind: "trace", lines: readGolden(one.id) });
    const broken = await py.run({ ...one, main: [{ do: "$nowhere" }] }, 20000);
    expect(broken).toMatchObject({ kind: "error" });
    expect((broken as { message: string }).message).toContain("nowhere");
  } finally {
    await py.stop();
  }
}, 60000);
