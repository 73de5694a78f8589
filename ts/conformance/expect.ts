/**
 * `tulip conformance expectations --form F [--write]`: runs every scenario (and the fuzz
 * batch) in form F, sorts each difference from CPython by symptom (symptoms.ts), and lists
 * them as expectation entries, one per symptom, each with its reason. `--write` replaces the
 * entries it made before (marked `generated`) in spec/expectations/tulip.json and keeps the
 * hand-written ones; an id a hand-written entry covers is left to it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Expectations, type Expectation } from "./expectations.js";
import { type Form } from "./forms.js";
import { fuzzReference, generate } from "./fuzz.js";
import { GoldenImplementation, PythonImplementation, TulipImplementation, type Outcome } from "./implementations.js";
import type { Scenario } from "./scenario.js";
import { SYMPTOMS, symptom } from "./symptoms.js";

export interface ExpectOptions {
  forms: Form[];
  mode: "live" | "golden";
  /** The fuzz batch whose differences are listed too (count 0: none). */
  seed: number;
  count: number;
  timeoutMs: number;
}

const MARK = "tulip conformance expectations";

/** The generated entries for `forms`, hand-written entries (`current`) taking precedence. */
export async function expectationsFor(scenarios: Scenario[], current: Expectations, opts: ExpectOptions,
  log: (s: string) => void = () => {}): Promise<Expectation[]> {
  const cases: { sc: Scenario; ref: Outcome }[] = [];
  const py = opts.mode === "live" || opts.count > 0 ? new PythonImplementation() : null;
  await py?.start();
  try {
    const golden = new GoldenImplementation();
    for (const sc of scenarios) cases.push({ sc, ref: opts.mode === "golden" ? await golden.run(sc) : await py!.run(sc, opts.timeoutMs) });
    for (let i = 0; i < opts.count; i++) {
      const sc = generate(opts.seed, i);
      const ref = await fuzzReference(py!, sc);
      if (typeof ref !== "string") cases.push({ sc, ref });
    }
  } finally {
    await py?.stop();
  }
  const out: Expectation[] = [];
  for (const form of opts.forms) {
    const tulip = new TulipImplementation(form);
    const groups = new Map<string, string[]>();
    for (const { sc, ref } of cases) {
      if (ref.kind !== "trace") continue;
      const handWritten = current.list.find((e) => !e.generated && (e.forms === undefined || e.forms.includes(form)) &&
        new Expectations([e]).for(sc.id, form) !== null);
      if (handWritten) continue;
      const s = symptom(sc, ref.lines, await tulip.run(sc, opts.timeoutMs));
      if (s !== null) groups.set(s.name, [...(groups.get(s.name) ?? []), sc.id]);
    }
    for (const [name, ids] of groups) {
      const s = SYMPTOMS[name];
      out.push({ forms: [form], status: s.status, reason: s.reason, generated: `${MARK} --form ${form} (${name})`, ids });
      log(`${form}: ${ids.length} ${name}`);
    }
  }
  return out;
}

/** Replaces the generated entries of `forms` in the expectation file with `entries`. */
export function writeExpectations(implementation: string, forms: Form[], entries: Expectation[]): void {
  const path = Expectations.path(implementation);
  const data = JSON.parse(readFileSync(path, "utf8")) as { expectations: Expectation[] };
  const mine = (e: Expectation) => e.generated !== undefined && e.forms?.length === 1 && forms.includes(e.forms[0] as Form);
  data.expectations = [...data.expectations.filter((e) => !mine(e)), ...entries];
  writeFileSync(path, JSON.stringify(data, null, 1) + "\n");
}
