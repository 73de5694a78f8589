/**
 * What a difference looks like: sorts a tulip outcome that differs from the CPython trace
 * into a symptom with a reason, so that a form's known differences (the plain form's, issue
 * 13) can be listed in spec/expectations/ grouped by cause rather than one by one, and
 * regenerated (`tulip conformance expectations --form plain --write`) as the runtime improves.
 * The first symptom that applies wins; the order goes from the gravest to the mildest.
 */
import type { Status } from "./expectations.js";
import type { Outcome } from "./implementations.js";
import type { Scenario } from "./scenario.js";

export interface Symptom {
  /** A short name (`hang`, `cancel-lost`, …). */
  name: string;
  status: Exclude<Status, "PASS" | "SKIP">;
  /** What is seen and why, for the expectation's `reason`. */
  reason: string;
}

const PLAIN_CAUSE = "a plain async function's body starts at the call, inside the calling task's step " +
  "(as 3.12's eager tasks start), so the part before its first await runs early, in the caller's task and " +
  "context; from that await on it is its own task's when tulip is handed it in the same step, the caller's otherwise";

/** The symptoms, gravest first; `reason` says what the trace shows and why. */
export const SYMPTOMS: Record<string, Symptom> = {
  timeout: { name: "timeout", status: "TIMEOUT", reason: `hangs (or a step never yields): ${PLAIN_CAUSE}` },
  "early-name": {
    name: "early-name", status: "ERROR",
    reason: "the body reads a name its caller has not bound yet (ScenarioError: name … is not bound; in JavaScript, " +
      `a variable still undefined): ${PLAIN_CAUSE}, before the caller's \`t = create_task(…)\` has assigned t`,
  },
  error: { name: "error", status: "ERROR", reason: `the interpreter fails: ${PLAIN_CAUSE}` },
  hang: {
    name: "hang", status: "FAIL",
    reason: `hangs: the virtual loop reports a deadlock where CPython finishes, because ${PLAIN_CAUSE}: ` +
      "the caller takes the body's first await as its own suspension and nothing resumes the body (or the caller)",
  },
  "runs-refused": {
    name: "runs-refused", status: "FAIL",
    reason: "a coroutine runs that CPython never starts (its task was cancelled before its first step, or " +
      `create_task refused it): ${PLAIN_CAUSE}, and it has run before its task exists`,
  },
  "cancel-lost": {
    name: "cancel-lost", status: "FAIL",
    reason: "a cancellation never arrives: the body does not see CancelledError at its await and runs to the end " +
      `(later, or with another outcome): ${PLAIN_CAUSE}, and its task has no _fut_waiter for cancel() to cancel`,
  },
  context: {
    name: "context", status: "FAIL",
    reason: `contextvars leak: the body runs in the calling task's context, not its own task's copy: ${PLAIN_CAUSE}`,
  },
  order: {
    name: "order", status: "FAIL",
    reason: `order and names only: ${PLAIN_CAUSE}; its first part's events come early and are traced ` +
      "under the caller's name (current_task() is the caller there)",
  },
  other: { name: "other", status: "FAIL", reason: `other differences: ${PLAIN_CAUSE}` },
};

const count = (lines: string[], pred: (l: string) => boolean) => lines.filter(pred).length;
const event = (l: string) => l.split(" ")[3];
const time = (lines: string[]) => (lines.length === 0 ? 0 : Number(lines[lines.length - 1].split(" ")[0]) || 0);
/** An event line without its time, iteration and actor. */
const what = (l: string) => l.split(" ").slice(3).join(" ");

/** The symptom of `got` differing from the trace `ref` (null if they are the same). */
export function symptom(sc: Scenario, ref: string[], got: Outcome): Symptom | null {
  if (got.kind === "timeout") return SYMPTOMS.timeout;
  if (got.kind === "error") return /^ScenarioError: name '[^']*' is not bound/.test(got.message) ? SYMPTOMS["early-name"] : SYMPTOMS.error;
  const g = got.lines;
  if (g.length === ref.length && g.every((l, i) => l === ref[i])) return null;
  const deadlock = (ls: string[]) => ls.some((l) => l.includes(" loop deadlock "));
  if (deadlock(g) && !deadlock(ref)) return SYMPTOMS.hang;
  if (count(g, (l) => event(l) === "start") > count(ref, (l) => event(l) === "start")) return SYMPTOMS["runs-refused"];
  const cancelled = (l: string) => l.includes('"exc":"CancelledError"');
  if (count(g, cancelled) < count(ref, cancelled) || time(g) > time(ref)) return SYMPTOMS["cancel-lost"];
  if (sc.features.includes("contextvars") || sc.id.startsWith("context/")) return SYMPTOMS.context;
  const sorted = (ls: string[]) => ls.map(what).sort().join("\n");
  if (sorted(g) === sorted(ref)) return SYMPTOMS.order;
  return SYMPTOMS.other;
}
