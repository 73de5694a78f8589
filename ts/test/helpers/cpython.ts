/**
 * Runs a Python program on the machine's CPython 3.11 and returns its printed lines: the
 * order-sensitive tests compare tulip's trace against what CPython actually prints.
 */
import { execFileSync } from "node:child_process";

export function cpython(program: string): string[] {
  const out = execFileSync("python3", ["-c", program], { encoding: "utf8", timeout: 20000 });
  return out.split("\n").filter((l) => l.length > 0);
}

/** Dedents a template literal so Python code can be written indented inside a test. */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ""), "");
  const lines = text.replace(/^\n/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join("\n");
}
