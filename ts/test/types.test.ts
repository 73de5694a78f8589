// The type tests (ts/test/types): tsc type-checks them as a user's project would, importing
// "tulip" and "tulip/bridge" through package.json's exports (so the built declarations in
// dist/ are what is checked), with --strict and NodeNext. They pass when tsc reports nothing:
// every expectType<T>() matches the inferred type exactly, and every `// @ts-expect-error`
// line fails to compile (tsc reports an unused one as TS2578).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = process.cwd();
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

/** tsc's diagnostics for the project `dir` (empty when it type-checks). */
function check(dir: string): string {
  try {
    execFileSync(process.execPath, [tsc, "-p", dir, "--pretty", "false"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return "";
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    return `${stdout ?? ""}${stderr ?? ""}`.trim() || String(e);
  }
}

test("ts/test/types type-checks: every inferred type as expected, every @ts-expect-error an error", () => {
  expect(check(join(root, "ts", "test", "types"))).toBe("");
}, 180_000);

test("the type tests' checks can fail: a wrong expectType and an unused @ts-expect-error are reported", () => {
  const dir = mkdtempSync(join(tmpdir(), "tulip-types-"));
  try {
    copyFileSync(join(root, "ts", "test", "types", "_expect.ts"), join(dir, "_expect.ts"));
    writeFileSync(join(dir, "bad.ts"), [
      `import { expectType } from "./_expect.js";`,
      `expectType<number>()(1 as number);`,
      `expectType<string>()(1 as number);`,
      `expectType<unknown>()(1 as number);`,
      `// @ts-expect-error`,
      `const fine: number = 1;`,
      `export { fine };`,
    ].join("\n"));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", noEmit: true, types: [] },
    }));
    const out = check(dir);
    expect(out).toMatch(/bad\.ts\(3,1\): error TS2554/);
    expect(out).toMatch(/bad\.ts\(4,1\): error TS2554/);
    expect(out).toMatch(/bad\.ts\(5,1\): error TS2578/);
    expect(out).not.toMatch(/bad\.ts\(2,/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);
