/** The differential fuzzer: generation is seeded and valid; a difference is found and shrunk. */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Expectations } from "../../conformance/expectations.js";
import { fuzz, generate, size } from "../../conformance/fuzz.js";
import { TulipImplementation, type Implementation } from "../../conformance/implementations.js";
import type { Scenario } from "../../conformance/scenario.js";

test("a seed names the same scenarios", () => {
  expect(generate(7, 3)).toEqual(generate(7, 3));
  expect(generate(7, 3)).not.toEqual(generate(7, 4));
});

test("a fixed-seed batch: tulip and CPython agree, in the generator and lazy forms", async () => {
  const out = mkdtempSync(join(tmpdir(), "fuzz-"));
  const r = await fuzz(11, 20, out, () => {}, { forms: ["generator", "lazy"] });
  expect(r).toMatchObject({ identical: 2 * (20 - r.notReproducible), differing: [], invalid: [], known: 0, fixed: [] });
  expect(r.forms.lazy).toEqual({ identical: 20 - r.notReproducible, differing: 0, known: 0, fixed: 0 });
}, 60000);

test("a listed difference counts as known, and as fixed once identical", async () => {
  const out = mkdtempSync(join(tmpdir(), "fuzz-"));
  const expectations = new Expectations([
    { ids: ["fuzz/seed-11-*"], forms: ["plain"], status: "FAIL", reason: "bodies start early" },
    { ids: ["fuzz/seed-11-*"], forms: ["lazy"], status: "FAIL", reason: "listed but identical" },
  ]);
  const r = await fuzz(11, 3, out, () => {}, { forms: ["lazy", "plain"], expectations });
  const ran = 3 - r.notReproducible;
  expect(r.forms.plain).toMatchObject({ known: ran, differing: 0 });
  expect(r.fixed).toHaveLength(ran);
  expect(r.fixed[0]).toMatch(/^fuzz\/seed-11-\d+ \(lazy\)$/);
}, 60000);

test("a difference is shrunk to a small scenario and written out", async () => {
  // A deliberately wrong "tulip": it loses every `cancelling` trace line.
  const real = new TulipImplementation();
  const broken: Implementation = {
    name: "broken", start: async () => {}, stop: async () => {},
    run: async (sc, ms) => {
      const o = await real.run(sc, ms);
      return o.kind === "trace" ? { kind: "trace", lines: o.lines.filter((l) => !l.includes('["cancelling"')) } : o;
    },
  };
  const out = mkdtempSync(join(tmpdir(), "fuzz-"));
  const r = await fuzz(1, 5, out, () => {}, broken); // scenario 4 traces cancelling()
  expect(r.differing.length).toBeGreaterThan(0);
  const file = readdirSync(out)[0];
  const written = JSON.parse(readFileSync(join(out, file), "utf8")) as { area: string; scenarios: Scenario[] };
  expect(written.area).toBe("fuzz");
  const [small] = written.scenarios;
  const original = generate(1, Number(/-(\d+)$/.exec(small.id)![1]));
  expect(size(small)).toBeLessThan(size(original));
  expect(JSON.stringify(small)).toContain('"cancelling"');
}, 120000);
