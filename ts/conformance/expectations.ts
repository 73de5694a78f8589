/**
 * Per-implementation expectation files (spec/expectations/NAME.json, after
 * web-platform-tests): known differences, each with a status and a reason.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SPEC_DIR, globToRegExp } from "./scenario.js";

export type Status = "PASS" | "FAIL" | "ERROR" | "TIMEOUT" | "SKIP";

export interface Expectation {
  ids: string[];
  status: Exclude<Status, "PASS">;
  reason: string;
}

export class Expectations {
  private readonly entries: { res: RegExp[]; e: Expectation }[];

  constructor(list: Expectation[]) {
    for (const e of list) {
      if (!e.reason) throw new Error(`expectation for ${e.ids.join(", ")} has no reason`);
      if (!["FAIL", "ERROR", "TIMEOUT", "SKIP"].includes(e.status)) throw new Error(`bad expected status ${e.status}`);
    }
    this.entries = list.map((e) => ({ res: e.ids.map(globToRegExp), e }));
  }

  static load(implementation: string): Expectations {
    const p = join(SPEC_DIR, "expectations", `${implementation}.json`);
    if (!existsSync(p)) return new Expectations([]);
    return new Expectations((JSON.parse(readFileSync(p, "utf8")) as { expectations: Expectation[] }).expectations);
  }

  /** The first entry matching the id, if any. */
  for(id: string): Expectation | null {
    return this.entries.find(({ res }) => res.some((r) => r.test(id)))?.e ?? null;
  }
}
