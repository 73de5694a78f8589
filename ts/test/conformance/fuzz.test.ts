/** The differential fuzzer: generation is seeded and valid; a difference is found and shrunk. */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fuzz, generate, size } from "../../conformance/fuzz.js";
import { TulipImplementation, type Implementation } from "../../conformance/implementations.js";
import type { Scenario } from "../../conformance/scenario.js";

test("a seed names the same scenarios", () => {
  expect(generate(7, 3)).toEqual(generate(7, 3));
  expect(generate(7, 3)).not.toEqual(generate(7, 4));
});

test("a fixed-seed batch: tulip and CPython agree", async () => {
  const out = mkdtempSync(join(tmpdir(), "fuzz-"));
  const r = await fuzz(11, 20, out);
  expect(r).toMatchObject({ identical: 20 - r.notReproducible, differing: [], invalid: [] });
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
