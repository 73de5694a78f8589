/**
 * The mutation run's list (scripts/mutations.mjs, run by `npm run mutate`): every mutation's
 * snippet occurs exactly once in today's source, so that an edit of tasks.ts, futures.ts, …
 * cannot silently turn a mutant into a no-op or make it land elsewhere. No mutant is run here.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

interface Mutation {
  id: string;
  file: string;
  find: string;
  replace: string;
  models: string;
}

const root = fileURLToPath(new URL("../../../", import.meta.url));
const { MUTATIONS, mutate } = (await import(pathToFileURL(join(root, "scripts", "mutations.mjs")).href)) as {
  MUTATIONS: Mutation[];
  mutate: (source: string, m: Mutation) => string;
};

const occurrences = (text: string, snippet: string) => text.split(snippet).length - 1;

test("the list names 20 to 30 mutations, each with a distinct id and the bug it models", () => {
  expect(MUTATIONS.length).toBeGreaterThanOrEqual(20);
  expect(MUTATIONS.length).toBeLessThanOrEqual(30);
  expect(new Set(MUTATIONS.map((m) => m.id)).size).toBe(MUTATIONS.length);
  for (const m of MUTATIONS) {
    expect(m.id).toMatch(/^[a-z0-9_-]+$/);
    expect(m.models.trim()).not.toBe("");
    expect(m.replace).not.toBe(m.find);
  }
});

test("the two step-never-yields bugs of issue 13 are in the list", () => {
  const ids = MUTATIONS.map((m) => m.id);
  expect(ids).toContain("sleep0-returns-at-once");
  expect(ids).toContain("callback-requeued-into-batch");
});

test.each(MUTATIONS.map((m) => [m.id, m] as const))("%s: its snippet occurs exactly once in today's source", (_id, m) => {
  const file = join(root, m.file);
  expect(m.file).toMatch(/^ts\/.*\.ts$/);
  expect(existsSync(file)).toBe(true);
  const source = readFileSync(file, "utf8");
  expect(occurrences(source, m.find)).toBe(1);
  expect(mutate(source, m)).not.toBe(source);
});

test("mutate() refuses a snippet that is missing or occurs twice", () => {
  const m = { id: "x", file: "f.ts", find: "a;", replace: "b;", models: "" };
  expect(mutate("a; c;", m)).toBe("b; c;");
  expect(() => mutate("c;", m)).toThrow(/exactly once/);
  expect(() => mutate("a; a;", m)).toThrow(/exactly once/);
});

test("`node scripts/mutate.mjs --list` prints every mutation and touches nothing", () => {
  const out = execFileSync(process.execPath, [join(root, "scripts", "mutate.mjs"), "--list"], { cwd: root, encoding: "utf8" });
  for (const m of MUTATIONS) expect(out).toContain(`\`${m.id}\``);
  const bad = spawnSync(process.execPath, [join(root, "scripts", "mutate.mjs"), "--only", "no-such-mutant"], { cwd: root, encoding: "utf8" });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/no mutation named no-such-mutant/);
});
