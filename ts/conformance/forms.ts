/**
 * The four coroutine forms every scenario runs in on the tulip side (issue 13, item 3;
 * DESIGN.md, "Laziness"), each compared with the one CPython trace:
 *
 * - `generator`: the interpreter (interpreter.ts): lazy coroutine objects over interpreted
 *   generator frames;
 * - `lazy`: the scenario as generated JavaScript (codegen.ts), each coroutine an
 *   `asyncio.coroutine(async function …)`;
 * - `plain`: the same source, each coroutine a real JavaScript async function called
 *   plainly: `create_task(worker())` calls `worker`, whose body starts at once;
 * - `compiled`: the same source through tulip's compile step (`transform` of
 *   dist/compile.js), async functions into tulip coroutines. SKIP while that step is missing.
 *
 * Expressions, the trace and the run are the runtime's (runtime.ts) in every form.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as asyncio from "../asyncio/index.js";
import * as contextvars from "../contextvars.js";
import { generate } from "./codegen.js";
import { Interpreter } from "./interpreter.js";
import { ScenarioRuntime } from "./runtime.js";
import type { Callable, Scenario } from "./scenario.js";

export type Form = "generator" | "lazy" | "plain" | "compiled";
export const FORMS: readonly Form[] = ["generator", "lazy", "plain", "compiled"];

export function isForm(x: string): x is Form {
  return (FORMS as readonly string[]).includes(x);
}

type Fn = (...a: unknown[]) => unknown;
interface Made {
  coroutines: Record<string, Fn>;
  functions: Record<string, Fn>;
  main: Fn;
}
/** The generated source closed over a runtime: `factory($rt, $import)`. */
type Factory = (rt: ScenarioRuntime, imports: (spec: string) => unknown) => Made;

// ---- the compile step (ts/compile.ts, dist/compile.js) ----

type Transform = (source: string, filename: string, options?: { async?: boolean }) => { code: string; map: unknown };

const COMPILE_JS = join(dirname(fileURLToPath(import.meta.url)), "..", "compile.js");
let compiler: Promise<Transform | string> | null = null;

/** tulip's `transform`, or why it cannot be had. */
function loadCompiler(): Promise<Transform | string> {
  compiler ??= (async () => {
    if (!existsSync(COMPILE_JS)) return "dist/compile.js is missing: tulip's compile step (ts/compile.ts) is not built on this checkout";
    try {
      const mod = (await import(pathToFileURL(COMPILE_JS).href)) as { transform?: Transform };
      return typeof mod.transform === "function" ? mod.transform : "dist/compile.js exports no transform()";
    } catch (e) {
      return `dist/compile.js does not load: ${(e as Error).message}`;
    }
  })();
  return compiler;
}

/** Null when `form` can run here, else the reason it is skipped. */
export async function unavailable(form: Form): Promise<string | null> {
  if (form !== "compiled") return null;
  const t = await loadCompiler();
  return typeof t === "string" ? t : null;
}

/** What compiled code may import (the compile step imports its helper from "tulip"). */
const MODULES: Record<string, unknown> = { tulip: asyncio, "tulip/contextvars": contextvars };
function imports(spec: string): unknown {
  if (!(spec in MODULES)) throw new Error(`generated code imports ${spec}, which the conformance loader does not provide`);
  return MODULES[spec];
}

const IMPORT = /^[ \t]*import\s*\{([^}]*)\}\s*from\s*(["'])([^"']+)\2;?[ \t]*$/gm;

/** A module's named imports as declarations over `$import` (the compile step's output is a module). */
function closeImports(code: string): string {
  const out = code.replace(IMPORT, (_m, specs: string, _q: string, from: string) => {
    const names = specs.split(",").map((x) => x.trim()).filter(Boolean).map((x) => x.replace(/\s+as\s+/, ": "));
    return `const { ${names.join(", ")} } = $import(${JSON.stringify(from)});`;
  });
  if (/^\s*(import|export)\b/m.test(out)) throw new Error("compiled code has an import or export the conformance loader cannot close");
  return out;
}

// ---- loading ----

const factories = new Map<string, Factory>();
const MAX_FACTORIES = 4096;

/** The scenario's generated source in `form` (compiled through `transform` for the compiled form). */
export async function sourceOf(sc: Scenario, form: Exclude<Form, "generator">): Promise<string> {
  const { source } = generate(sc);
  if (form !== "compiled") return source;
  const transform = await loadCompiler();
  if (typeof transform === "string") throw new Error(transform);
  return transform(source, `${sc.id}.js`).code;
}

async function factoryOf(sc: Scenario, form: Exclude<Form, "generator">): Promise<Factory> {
  const { names } = generate(sc);
  const source = await sourceOf(sc, form);
  const key = `${form}\0${source}`;
  let factory = factories.get(key);
  if (factory === undefined) {
    const entries = (m: Record<string, string>) => `{ ${Object.entries(m).map(([n, js]) => `${JSON.stringify(n)}: ${js}`).join(", ")} }`;
    const body = `"use strict";\n${form === "compiled" ? closeImports(source) : source}\n` +
      `return { coroutines: ${entries(names.coroutines)}, functions: ${entries(names.functions)}, main: ${names.main} };\n`;
    factory = new Function("$rt", "$import", body) as Factory;
    if (factories.size >= MAX_FACTORIES) factories.clear();
    factories.set(key, factory);
  }
  return factory;
}

/** A scenario run as generated JavaScript: the form decides how its coroutines are called. */
class GeneratedRuntime extends ScenarioRuntime {
  private readonly made: Made;

  constructor(sc: Scenario, private readonly form: Exclude<Form, "generator">, factory: Factory) {
    super(sc);
    const made = factory(this, imports);
    if (form === "lazy") {
      // asyncio.coroutine(async function …): calls make lazy coroutine objects.
      const lazy = (f: Fn) => asyncio.coroutine(f as (...a: unknown[]) => Promise<unknown>) as Fn;
      this.made = { ...made, main: lazy(made.main), coroutines: Object.fromEntries(Object.entries(made.coroutines).map(([n, f]) => [n, lazy(f)])) };
    } else {
      this.made = made;
    }
  }

  protected makeMain(): unknown {
    if (this.form !== "plain") return this.labelCoro(this.made.main(), "main");
    // Plain main is handed to its task as a zero-argument function (tulip's documented form
    // for a top-level async function), so its body starts in the task's first step. Called
    // before the loop runs, as `asyncio.run(main())` calls it, every scenario would stop at
    // main's first line ("no running event loop", issue 13's first row) and say nothing of
    // the coroutines it calls, which are all called plainly.
    const main = this.made.main;
    return this.labelCoro(() => this.labelCoro(main(), "main"), "main");
  }

  protected newCoro(name: string, args: unknown[]): unknown {
    return this.made.coroutines[name](...args);
  }

  protected newFn(name: string, _defn: Callable): Fn {
    return this.made.functions[name];
  }
}

/** Run one scenario on tulip in `form` and return its trace lines. */
export async function runScenario(sc: Scenario, form: Form = "generator"): Promise<string[]> {
  if (form === "generator") return new Interpreter(sc).run();
  return new GeneratedRuntime(sc, form, await factoryOf(sc, form)).run();
}
