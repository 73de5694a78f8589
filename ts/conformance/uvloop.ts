/**
 * "uvloop vs CPython asyncio": with `--python-loop uvloop` each scenario (or paired program)
 * also runs on uvloop, and its output is compared with CPython asyncio's, to show where uvloop
 * itself differs from CPython's loop. tulip is a port of CPython's asyncio, so it stays judged
 * against asyncio's output (spec/README.md, "uvloop vs CPython asyncio"): where uvloop agrees,
 * that is uvloop's output too; where it does not, the difference is uvloop's, listed here.
 *
 * uvloop has no virtual clock (its timers are libuv's, on the machine's clock), so there every
 * scenario runs on the real clock: its trace carries `-` for time and iteration, and the clock
 * readings it traces are `{"clock":"-"}` (tulip_bridge/trace_format.py, ClockReading). The
 * comparison blanks asyncio's two columns and lets a reading stand for any number. What a real
 * clock itself changes (close deadlines that swap) is told apart by reruns (compareLoops).
 */
import { unifiedDiff } from "./diff.js";
import type { Outcome, PythonRun } from "./implementations.js";

export type UvloopStatus = "SAME" | "UVLOOP-DIFF" | "VARIES" | "SKIP";

export interface UvloopResult {
  id: string;
  area: string;
  status: UvloopStatus;
  /** Why it was skipped (SKIP), or why it varies (VARIES). */
  message: string | null;
  /** asyncio's output against uvloop's (UVLOOP-DIFF); uvloop's first run against the one that
   * differed, or asyncio's trace against asyncio's on the real clock (VARIES). */
  diff: string | null;
}

/** The longest a scenario may run on the virtual clock to be run on uvloop's real one. */
export const MAX_REAL_SECONDS = 5;

const CLOCK = '{"clock":"-"}';
const NUMBER = String.raw`(?:-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|\{"float":"-?(?:inf|nan)"\})`;

/** A trace with its time and iteration columns blanked, as uvloop's real-clock trace has them. */
export function blankClock(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(/^\S+ \S+ /, "- - "));
}

/** A line of uvloop's output as a pattern: its clock readings stand for any number. */
function pattern(line: string): RegExp {
  return new RegExp(`^${line.split(CLOCK).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(NUMBER)}$`);
}

/**
 * asyncio's lines as uvloop would show them: each line that a uvloop line matches (its clock
 * readings standing for the numbers asyncio's virtual clock gave) is replaced by that line, so
 * that equal outputs compare equal and a diff shows only what differs.
 */
export function asUvloopShows(asyncio: readonly string[], uvloop: readonly string[]): string[] {
  const readings = [...new Set(uvloop.filter((l) => l.includes(CLOCK)))].map((l) => ({ line: l, re: pattern(l) }));
  return asyncio.map((l) => readings.find((r) => r.re.test(l))?.line ?? l);
}

/** What one run showed, as lines to compare: its trace, or one line saying why there is none. */
function shown(o: Outcome): string[] {
  if (o.kind === "trace") return o.lines;
  return [o.kind === "timeout" ? `[timeout${o.message ? `: ${o.message}` : ""}]` : `[error: ${o.message}]`];
}

/**
 * Why a scenario cannot run on uvloop's real clock, from asyncio's trace: asyncio gave none, or
 * its virtual loop stopped a run that would hang a real one (a deadlock, the iteration limit),
 * or it runs longer than MAX_REAL_SECONDS of virtual time. null: it can.
 */
export function uvloopSkip(ref: Outcome): string | null {
  if (ref.kind !== "trace") return "CPython asyncio gave no trace to compare with";
  const stopped = ref.lines.find((l) => / loop (deadlock|limit) \[\]$/.test(l));
  if (stopped) return `asyncio's virtual loop stops it (${stopped.split(" ")[3]}); on uvloop's real clock it would hang`;
  const seconds = Math.max(0, ...ref.lines.map((l) => Number(l.split(" ")[0])).filter((t) => Number.isFinite(t)));
  if (seconds > MAX_REAL_SECONDS) return `it runs ${seconds} s on the virtual clock; uvloop has only the real one (limit ${MAX_REAL_SECONDS} s)`;
  return null;
}

/** Further runs that tell uvloop's own differences from a real clock's. */
export interface Reruns {
  /** uvloop once more. */
  uvloop: () => Promise<readonly string[]>;
  /** CPython asyncio on the real clock: for a scenario, whose reference ran on the virtual clock,
   * asyncio forced onto the real one; for a program, asyncio once more. */
  asyncioOnRealClock?: () => Promise<readonly string[]>;
}

/** How many more times uvloop runs a scenario or program whose output differs from asyncio's. */
export const CONFIRMATIONS = 2;

const equal = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((l, i) => l === b[i]);
const agree = (asyncio: readonly string[], other: readonly string[]) => equal(asUvloopShows(asyncio, other), other);

/**
 * One scenario or program: SAME when uvloop's output is asyncio's. A difference counts as
 * uvloop's (UVLOOP-DIFF) only when CONFIRMATIONS more uvloop runs show the same output and
 * CPython's own loop on the real clock gives asyncio's trace: on a real clock a stalled machine
 * can merge timers and close deadlines can swap, so a scenario that varies, or that asyncio
 * itself runs differently on the real clock, depends on timing, not on the loop: VARIES.
 */
export async function compareLoops(id: string, area: string, asyncio: readonly string[], uvloop: readonly string[],
  reruns: Reruns): Promise<UvloopResult> {
  const result = (status: UvloopStatus, message: string | null, diff: string | null): UvloopResult => ({ id, area, status, message, diff });
  if (agree(asyncio, uvloop)) return result("SAME", null, null);
  for (let run = 2; run <= CONFIRMATIONS + 1; run++) {
    const again = await reruns.uvloop();
    if (!equal(again, uvloop)) {
      return result("VARIES", `uvloop's output differs between runs (1 and ${run})`,
        unifiedDiff([...uvloop], [...again], `uvloop/${id} (run 1)`, `uvloop/${id} (run ${run})`));
    }
  }
  if (reruns.asyncioOnRealClock !== undefined) {
    const real = await reruns.asyncioOnRealClock();
    if (!agree(asyncio, real)) {
      return result("VARIES", "CPython asyncio on the real clock does not give asyncio's output either: it depends on timing, not on the loop",
        unifiedDiff(asUvloopShows(asyncio, real), [...real], `asyncio/${id}`, `asyncio-real-clock/${id}`));
    }
  }
  return result("UVLOOP-DIFF", null, unifiedDiff(asUvloopShows(asyncio, uvloop), [...uvloop], `asyncio/${id}`, `uvloop/${id}`));
}

/**
 * One scenario: SKIP where uvloopSkip says so, else run on uvloop by `run` (a Python worker's
 * run, on uvloop unless told otherwise) and compared with `ref`, asyncio's trace.
 */
export async function compareScenario(id: string, area: string, ref: Outcome, run: (how: PythonRun) => Promise<Outcome>): Promise<UvloopResult> {
  const why = uvloopSkip(ref);
  if (why !== null) return skippedOnUvloop(id, area, why);
  const lines = async (how: PythonRun = {}) => shown(await run(how));
  return compareLoops(id, area, blankClock(shown(ref)), await lines(),
    { uvloop: lines, asyncioOnRealClock: () => lines({ loop: "asyncio", realClock: true }) });
}

export function skippedOnUvloop(id: string, area: string, why: string): UvloopResult {
  return { id, area, status: "SKIP", message: why, diff: null };
}

export type UvloopCounts = Record<"compared" | "same" | "differ" | "vary" | "skip", number>;

export function uvloopCounts(results: readonly UvloopResult[]): UvloopCounts {
  const n = (s: UvloopStatus) => results.filter((r) => r.status === s).length;
  return { compared: results.length - n("SKIP"), same: n("SAME"), differ: n("UVLOOP-DIFF"), vary: n("VARIES"), skip: n("SKIP") };
}

/** A run's comparisons, with what ran them (`uvloop 0.23.0`). */
export interface UvloopReport {
  loop: string;
  results: UvloopResult[];
  /** What was compared, for the summary: `scenarios` (the default), `programs`. */
  what?: string;
}

/** The section's summary line: `uvloop vs CPython asyncio (uvloop 0.23.0): …`. */
export function uvloopSummary({ loop, results, what = "scenarios" }: UvloopReport): string {
  const c = uvloopCounts(results);
  return `uvloop vs CPython asyncio (${loop}): ${c.compared} ${what} compared, ${c.same} same, ${c.differ} differ (UVLOOP-DIFF), ` +
    `${c.vary} vary on the real clock (VARIES), ${c.skip} skipped`;
}

/** The text section: the summary, then each difference with its diff, then what varied or was skipped. */
export function uvloopSection(report: UvloopReport): string {
  const { results } = report;
  const out = [uvloopSummary(report)];
  for (const r of results.filter((x) => x.status === "UVLOOP-DIFF")) out.push(`\nUVLOOP-DIFF ${r.id}${r.message ? `: ${r.message}` : ""}\n${r.diff}`);
  for (const r of results.filter((x) => x.status === "VARIES")) out.push(`\nVARIES ${r.id}: ${r.message}\n${r.diff}`);
  for (const r of results.filter((x) => x.status === "SKIP")) out.push(`SKIP ${r.id}: ${r.message}`);
  return out.join("\n");
}

/** The JSON report's `uvloop` entry: the loop, the counts, and every result but the SAME ones. */
export function uvloopJson({ loop, results }: UvloopReport): object {
  return { title: "uvloop vs CPython asyncio", loop, counts: uvloopCounts(results), results: results.filter((r) => r.status !== "SAME") };
}
