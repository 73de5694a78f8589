// Self-bootstrapping for a fresh clone: npm packages and the Python virtual environment.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const venv = join(root, ".venv");
export const venvPython = join(venv, "bin", "python");

const hash = (f) => createHash("sha256").update(readFileSync(join(root, f))).digest("hex");

export function ensureNodeModules() {
  const stamp = join(root, "node_modules", ".tulip-lock-hash");
  const want = hash("package-lock.json");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === want) return;
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  writeFileSync(stamp, want);
}

export function ensureVenv() {
  const stamp = join(venv, ".tulip-pyproject-hash");
  const want = hash("pyproject.toml");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === want) return;
  if (!existsSync(venvPython)) execFileSync("python3", ["-m", "venv", venv], { stdio: "inherit" });
  pip(["install", "-q", "--retries", "0", "-e", `${root}[dev]`]);
  writeFileSync(stamp, want);
}

// pip warns "Location 'file:///…/simple/<project>/' is ignored: it is neither a file nor a
// directory" for each package a machine's pip configuration (an extra-index-url of a local
// file:// index, pip.conf) does not hold, although another index provides it: a line per
// package at every bootstrap that says nothing to act on in this project. Those lines alone
// are dropped; every other line of pip's stderr is shown, and a failure still fails.
const PIP_NOISE = /^WARNING: Location '[^']*' is ignored: it is neither a file nor a directory\.$/;

function pip(args) {
  const r = spawnSync(venvPython, ["-m", "pip", ...args], { cwd: root, stdio: ["inherit", "inherit", "pipe"], encoding: "utf8" });
  const err = (r.stderr ?? "").split("\n").filter((l) => !PIP_NOISE.test(l)).join("\n");
  if (err.trim() !== "") process.stderr.write(err.endsWith("\n") ? err : `${err}\n`);
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`pip ${args.join(" ")} exited with ${r.status}`);
}

/**
 * Headless Chromium for the conformance HTML report's test: Debian's `chromium` package,
 * installed with apt-get when missing and this user may (root). Returns its path, or null
 * (the test then says why it is skipped).
 */
export function ensureChromium() {
  const find = () => ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p)) ?? null;
  if (find() !== null || process.env.TULIP_NO_CHROMIUM) return find();
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) return null;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => execFileSync("apt-get", ["install", "-y", "-q", "chromium"], { stdio: "inherit", env });
  try {
    install();
  } catch {
    // A fresh machine has no package lists yet: fetch them once, then try again.
    try {
      execFileSync("apt-get", ["update", "-q"], { stdio: "inherit", env });
      install();
    } catch {
      return null;
    }
  }
  return find();
}

if (import.meta.url === `file://${process.argv[1]}`) { ensureNodeModules(); ensureVenv(); ensureChromium(); }
