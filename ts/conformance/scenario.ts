/** Scenario files (spec/scenarios/*.json): types, loading, selection, golden paths. */
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export type Expr = null | boolean | number | string | Expr[] | { [op: string]: unknown };
export type Step = { [op: string]: unknown };
export type Block = Step[];
export interface Callable {
  params?: string[];
  body: Block;
}
export interface Scenario {
  id: string;
  description: string;
  provenance?: string;
  features: string[];
  clock: "virtual" | "real";
  coroutines?: Record<string, Callable>;
  functions?: Record<string, Callable>;
  main: Block;
}

/** spec/ of this checkout: dist/conformance/ → ../../spec. */
export const SPEC_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "spec");

/** Every scenario in spec/scenarios/, in file then file order. (The schema is checked by
 * the Python side's tests; here a file that does not parse is an error.) */
export function loadScenarios(dir = join(SPEC_DIR, "scenarios")): Scenario[] {
  const out: Scenario[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
    const data = JSON.parse(readFileSync(join(dir, f), "utf8")) as { scenarios: Scenario[] };
    out.push(...data.scenarios);
  }
  return out;
}

/** A glob (`*` any run of characters, `?` one) as a RegExp. */
export function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${esc}$`);
}

export function select(scenarios: Scenario[], ids: string[] = [], features: string[] = []): Scenario[] {
  let out = scenarios;
  if (ids.length > 0) {
    const res = ids.map(globToRegExp);
    out = out.filter((s) => res.some((r) => r.test(s.id)));
  }
  if (features.length > 0) out = out.filter((s) => s.features.some((f) => features.includes(f)));
  return out;
}

export function goldenPath(id: string): string {
  return join(SPEC_DIR, "golden", `${id}.trace`);
}

/** The blessed CPython trace of a scenario, or null. */
export function readGolden(id: string): string[] | null {
  const p = goldenPath(id);
  if (!existsSync(p)) return null;
  return readFileSync(p, "utf8").split("\n").filter((l) => l.length > 0);
}

/** The CPython version the goldens were blessed from (spec/golden/PYTHON_VERSION). */
export function goldenVersion(): string | null {
  const p = join(SPEC_DIR, "golden", "PYTHON_VERSION");
  return existsSync(p) ? readFileSync(p, "utf8").trim() : null;
}
