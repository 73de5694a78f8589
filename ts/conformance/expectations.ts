/**
 * Per-implementation expectation files (spec/expectations/NAME.json, after
 * web-platform-tests): known differences, each with a status and a reason. An entry with
 * `forms` applies to those coroutine forms only (forms.ts), one without to every form.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SPEC_DIR, globToRegExp } from "./scenario.js";

/** The coroutine forms (forms.ts's FORMS; spelled here so that this module stays light). */
const FORM_NAMES = ["generator", "lazy", "plain", "compiled"];

export type Status = "PASS" | "FAIL" | "ERROR" | "TIMEOUT" | "SKIP";

export interface Expectation {
  ids: string[];
  status: Exclude<Status, "PASS">;
  reason: string;
  /** The coroutine forms it applies to (all when absent). */
  forms?: string[];
  /** Set on entries that `tulip conformance expectations --write` made (and may remake). */
  generated?: string;
}

export class Expectations {
  private readonly entries: { res: RegExp[]; e: Expectation }[];

  constructor(list: Expectation[]) {
    for (const e of list) {
      if (!e.reason) throw new Error(`expectation for ${e.ids.join(", ")} has no reason`);
      if (!["FAIL", "ERROR", "TIMEOUT", "SKIP"].includes(e.status)) throw new Error(`bad expected status ${e.status}`);
      if (e.forms !== undefined && (e.forms.length === 0 || e.forms.some((f) => !FORM_NAMES.includes(f)))) {
        throw new Error(`expectation for ${e.ids.join(", ")}: forms must be among ${FORM_NAMES.join(", ")}`);
      }
    }
    this.entries = list.map((e) => ({ res: e.ids.map(globToRegExp), e }));
  }

  static path(implementation: string): string {
    return join(SPEC_DIR, "expectations", `${implementation}.json`);
  }

  static load(implementation: string): Expectations {
    const p = Expectations.path(implementation);
    if (!existsSync(p)) return new Expectations([]);
    return new Expectations((JSON.parse(readFileSync(p, "utf8")) as { expectations: Expectation[] }).expectations);
  }

  /** The entries, as listed. */
  get list(): Expectation[] {
    return this.entries.map(({ e }) => e);
  }

  /** The first entry matching the id in `form`, if any. */
  for(id: string, form = "generator"): Expectation | null {
    return this.entries.find(({ res, e }) => (e.forms === undefined || e.forms.includes(form)) && res.some((r) => r.test(id)))?.e ?? null;
  }
}
