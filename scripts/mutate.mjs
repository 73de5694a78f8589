// `npm run mutate [-- --only ID,ID] [--quick] [--list]`: the mutation run of issue 13. Each
// mutation of scripts/mutations.mjs is applied to the TypeScript source, built, and run
// against the generator-only conformance suite (`--form generator`) and the every-form one
// (all four forms, then the paired programs): does the suite notice the bug? A markdown table
// says, per mutation and per suite, killed (by how many FAIL / ERROR / TIMEOUT / FIXED
// results, or a CRASH of the run) or survived; a mutant that does not build is invalid.
//
// It works on the checkout it lives in, which must already be installed (node_modules, .venv):
// it installs nothing, because an install run from here has already wiped another checkout's
// packages through a symlinked node_modules. Every file is restored after its mutant (also on
// SIGINT/SIGTERM), the checkout is rebuilt clean at the end, and `git diff` must then show no
// mutation left. A mutated file must have no uncommitted changes when the run starts.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MUTATIONS, mutate } from "./mutations.mjs";
import { root, venvPython } from "./setup.mjs";

// The slowest program that passes takes 0.64 s; the raw-form hangs that the expectations
// list would each take the default 10 s, which is most of the programs' time per mutant.
const PROGRAM_TIMEOUT_S = 4;

function parseArgs(argv) {
  const a = { only: null, quick: false, list: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--only") a.only = (argv[++i] ?? "").split(",").filter(Boolean);
    else if (flag.startsWith("--only=")) a.only = flag.slice(7).split(",").filter(Boolean);
    else if (flag === "--quick") a.quick = true;
    else if (flag === "--list") a.list = true;
    else {
      console.error(`unknown option ${flag}\nusage: node scripts/mutate.mjs [--only ID,ID] [--quick] [--list]`);
      process.exit(2);
    }
  }
  return a;
}

// ---- the checkout's state ----

const files = (ms) => [...new Set(ms.map((m) => m.file))];

function gitClean(paths) {
  try {
    execFileSync("git", ["diff", "--quiet", "HEAD", "--", ...paths], { cwd: root });
    return true;
  } catch {
    return false;
  }
}

function requireInstalled() {
  const missing = [];
  if (!existsSync(join(root, "node_modules", "typescript"))) missing.push("node_modules (run `npm ci`)");
  if (!existsSync(venvPython)) {
    missing.push('.venv (run `node -e "import(\'./scripts/setup.mjs\').then(m => m.ensureVenv())"`)');
  }
  if (missing.length > 0) {
    console.error(`mutate: this checkout is not installed: ${missing.join(", ")}. The mutation run installs nothing itself.`);
    process.exit(2);
  }
}

/** The original text of each mutated file, so that it can be put back whatever happens. */
const originals = new Map();
let child = null;

function restoreAll() {
  for (const [file, text] of originals) writeFileSync(join(root, file), text);
}

/** The pids of every process below `pid` (the paired programs run in process groups of their own). */
function descendants(pid) {
  const parent = new Map();
  try {
    for (const d of readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      try {
        // stat: "pid (comm) state ppid …", and comm may hold spaces or parentheses.
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      } catch {}
    }
  } catch {
    return [];
  }
  const out = [];
  for (let todo = [pid]; todo.length > 0; ) {
    const p = todo.pop();
    for (const [c, pp] of parent) if (pp === p) { out.push(c); todo.push(c); }
  }
  return out;
}

function onSignal(sig) {
  if (child !== null) {
    const below = descendants(child.pid);
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
    for (const p of below) {
      try {
        process.kill(p, "SIGKILL");
      } catch {}
    }
  }
  restoreAll();
  console.error(`\nmutate: ${sig}: the source is restored; run \`node scripts/build.mjs\` to rebuild dist/`);
  process.exit(sig === "SIGINT" ? 130 : 143);
}

// ---- running things ----

/** Runs a command in its own process group (so a signal can end it and all it started); resolves to its exit status. */
function run(cmd, args, { quiet = true } = {}) {
  return new Promise((resolve) => {
    let out = "";
    child = spawn(cmd, args, { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (d) => { out += d; if (!quiet) process.stdout.write(d); });
    child.stderr.on("data", (d) => { out += d; if (!quiet) process.stderr.write(d); });
    child.on("close", (code, signal) => {
      child = null;
      resolve({ code: code ?? (signal ? 128 : 1), out });
    });
  });
}

const build = () => run(process.execPath, ["scripts/build.mjs"]);

/**
 * One suite run, as counts of the results the expectations did not foresee (fail, error,
 * timeout, fixed) and the forms they were in; `crash` when the run wrote no report.
 */
async function suite(args, dir, name) {
  const json = join(dir, `${name}.json`);
  rmSync(json, { force: true });
  const r = await run(process.execPath, ["dist/cli.js", "conformance", ...args, "--no-progress", "--json", json, "--html", join(dir, `${name}.html`)]);
  if (!existsSync(json)) return { crash: true, code: r.code, tail: r.out.trim().split("\n").slice(-3).join(" | "), fail: 0, error: 0, timeout: 0, fixed: 0, forms: [] };
  const report = JSON.parse(readFileSync(json, "utf8"));
  const c = report.counts;
  const forms = [...new Set(report.results.filter((x) => !x.asExpected).map((x) => x.form))];
  return { crash: false, code: r.code, fail: c.fail, error: c.error, timeout: c.timeout, fixed: c.fixed, forms };
}

const killed = (s) => s.crash || s.fail + s.error + s.timeout + s.fixed > 0;

/** The every-form counts: the scenarios' and the paired programs' (whose raw form reports itself as "plain"). */
function merge(a, b) {
  return {
    crash: a.crash || b.crash, fail: a.fail + b.fail, error: a.error + b.error, timeout: a.timeout + b.timeout,
    fixed: a.fixed + b.fixed, forms: [...a.forms, ...b.forms.map((f) => `programs:${f === "plain" ? "raw" : f}`)],
  };
}

/** The generator-only suite, and the every-form one (all four forms; the programs unless quick). */
async function suites(dir, quick) {
  const generator = await suite(["--form", "generator"], dir, "generator");
  let every = await suite(["--form", "all"], dir, "all");
  if (!quick) every = merge(every, await suite(["programs", "--timeout", String(PROGRAM_TIMEOUT_S)], dir, "programs"));
  return { generator, every };
}

function cell(s) {
  if (!killed(s)) return "survived";
  const parts = [];
  if (s.crash) parts.push("CRASH");
  for (const k of ["fail", "error", "timeout", "fixed"]) if (s[k] > 0) parts.push(`${s[k]} ${k.toUpperCase()}`);
  const forms = [...new Set(s.forms)];
  return `**killed** (${parts.join(", ")}${forms.length > 0 ? `; ${forms.join(", ")}` : ""})`;
}

function report(rows, quick) {
  const lines = [
    "| mutation | file | models | generator-only | every form" + (quick ? " (no programs)" : " + programs") + " |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    const g = r.invalid ? "invalid (does not build)" : cell(r.generator);
    const e = r.invalid ? "invalid" : cell(r.every);
    lines.push(`| \`${r.m.id}\` | ${r.m.file.replace(/^ts\//, "")} | ${r.m.models} | ${g} | ${e} |`);
  }
  const valid = rows.filter((r) => !r.invalid);
  const kg = valid.filter((r) => killed(r.generator)).length;
  const ke = valid.filter((r) => killed(r.every)).length;
  const pct = (k) => (valid.length === 0 ? "—" : `${((100 * k) / valid.length).toFixed(0)}%`);
  lines.push("");
  lines.push(`${rows.length} mutants, ${rows.length - valid.length} invalid, ${valid.length} valid.`);
  lines.push(`Kill rate, generator-only suite: ${kg}/${valid.length} (${pct(kg)}).`);
  lines.push(`Kill rate, every-form suite${quick ? " (scenarios only)" : " + paired programs"}: ${ke}/${valid.length} (${pct(ke)}).`);
  const onlyEvery = valid.filter((r) => killed(r.every) && !killed(r.generator)).map((r) => `\`${r.m.id}\``);
  const survived = valid.filter((r) => !killed(r.every)).map((r) => `\`${r.m.id}\``);
  lines.push(`Killed by the every-form suite only: ${onlyEvery.length > 0 ? onlyEvery.join(", ") : "none"}.`);
  lines.push(`Survived both: ${survived.length > 0 ? survived.join(", ") : "none"}.`);
  return lines.join("\n");
}

// ---- main ----

async function main() {
  const args = parseArgs(process.argv.slice(2));
  let list = MUTATIONS;
  if (args.only !== null) {
    const unknown = args.only.filter((id) => !MUTATIONS.some((m) => m.id === id));
    if (unknown.length > 0) {
      console.error(`mutate: no mutation named ${unknown.join(", ")} (see --list)`);
      process.exit(2);
    }
    list = MUTATIONS.filter((m) => args.only.includes(m.id));
  }
  if (args.list) {
    console.log("| mutation | file | models |\n| --- | --- | --- |");
    for (const m of list) console.log(`| \`${m.id}\` | ${m.file} | ${m.models} |`);
    return 0;
  }
  requireInstalled();
  const paths = files(list);
  if (!gitClean(paths)) {
    console.error(`mutate: uncommitted changes in ${paths.join(" ")}: commit or restore them first (a mutant left by a killed run: git checkout -- <file>)`);
    return 2;
  }
  // Every snippet is checked before anything is touched.
  try {
    for (const m of list) mutate(readFileSync(join(root, m.file), "utf8"), m);
  } catch (e) {
    console.error(`mutate: ${e.message}: update scripts/mutations.mjs to today's source`);
    return 2;
  }
  for (const p of paths) originals.set(p, readFileSync(join(root, p), "utf8"));
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));

  const dir = mkdtempSync(join(tmpdir(), "tulip-mutate-"));
  const t0 = performance.now();
  const log = (s) => console.error(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}`);
  const rows = [];
  let status = 0;
  try {
    // The suites must pass on the unmutated source, or a "kill" says nothing.
    log("baseline: build and run the suites on the unmutated source");
    if ((await build()).code !== 0) throw new Error("the unmutated source does not build");
    const base = await suites(dir, args.quick);
    if (killed(base.generator) || killed(base.every)) {
      throw new Error(`the suites do not pass on the unmutated source (generator-only: ${cell(base.generator)}; every form: ${cell(base.every)})`);
    }
    for (const [i, m] of list.entries()) {
      const file = join(root, m.file);
      writeFileSync(file, mutate(originals.get(m.file), m));
      try {
        const b = await build();
        if (b.code !== 0) {
          rows.push({ m, invalid: true });
          log(`${i + 1}/${list.length} ${m.id}: invalid (does not build)`);
          continue;
        }
        const r = await suites(dir, args.quick);
        rows.push({ m, invalid: false, ...r });
        log(`${i + 1}/${list.length} ${m.id}: generator-only ${cell(r.generator)}; every form ${cell(r.every)}`);
      } finally {
        writeFileSync(file, originals.get(m.file));
      }
    }
  } catch (e) {
    console.error(`mutate: ${e instanceof Error ? e.message : String(e)}`);
    status = 1;
  } finally {
    restoreAll();
    log("rebuilding the unmutated source");
    if ((await build()).code !== 0) {
      console.error("mutate: the clean rebuild failed");
      status = 1;
    }
    rmSync(dir, { recursive: true, force: true });
  }
  if (!gitClean(paths)) {
    console.error(`mutate: a mutation is still applied in ${paths.join(" ")} (git diff shows it)`);
    return 1;
  }
  if (rows.length > 0) console.log(`\n${report(rows, args.quick)}\n\nin ${((performance.now() - t0) / 60000).toFixed(1)} min`);
  return status;
}

process.exitCode = await main();
