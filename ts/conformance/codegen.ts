/**
 * The code generator of the conformance suite's JavaScript forms (forms.ts): a scenario's
 * coroutines, functions and main as JavaScript source text — each coroutine a real
 * `async function NAME(params) { … await X … }`, each function a plain `function` — with the
 * scenario's control flow as JavaScript's own (`if`, `while`, `for … of`, `try`/`catch`/
 * `finally`, `break`, `continue`; `async with` as `__aenter__`/`__aexit__` calls). What the
 * interpreter already knows is left to the runtime object `$rt` (runtime.ts): expressions
 * stay tagged JSON that `$rt.ev` evaluates, and `$rt` emits the trace events.
 *
 * The text is a sequence of declarations over the free names `$rt`; forms.ts closes it
 * into a function (after tulip's compile step, for the compiled form).
 */
import type { Block, Callable, Scenario, Step } from "./scenario.js";

const RESERVED = new Set(("break case catch class const continue debugger default delete do else enum export extends " +
  "false finally for function if implements import in instanceof interface let new null package private protected " +
  "public return static super switch this throw true try typeof var void while with yield await arguments eval " +
  "undefined NaN Infinity").split(" "));

/** The JavaScript names of a scenario's coroutines, functions and main. */
export interface Names {
  coroutines: Record<string, string>;
  functions: Record<string, string>;
  main: string;
}

export interface Generated {
  source: string;
  names: Names;
}

const lit = (x: unknown): string => JSON.stringify(x);

/** A scenario name as a JavaScript identifier that none of `taken` is. */
function identifier(name: string, taken: Set<string>): string {
  let id = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `${name.replace(/[^A-Za-z0-9_]/g, "_")}_`;
  while (taken.has(id)) id += "_";
  taken.add(id);
  return id;
}

class Writer {
  private readonly out: string[] = [];
  private depth = 0;
  private seq = 0;

  line(text: string): void {
    this.out.push("  ".repeat(this.depth) + text);
  }

  open(text: string): void {
    this.line(text);
    this.depth++;
  }

  close(text = "}"): void {
    this.depth--;
    this.line(text);
  }

  /** Closes one block and opens the next on the same line (`} else {`). */
  mid(text: string): void {
    this.depth--;
    this.open(text);
  }

  /** A fresh `$`-name for a nested construct's temporaries. */
  fresh(base: string): string {
    return `$${base}${++this.seq}`;
  }

  text(): string {
    return this.out.join("\n");
  }
}

/** How one body is written: a coroutine's `await` is JavaScript's, a function's is not allowed. */
interface Body {
  async: boolean;
  /** Loops open around the statement (a `break` outside any ends the body, as the interpreter's does). */
  loops: number;
}

function block(w: Writer, steps: Block, b: Body): void {
  for (const step of steps) statement(w, step, b);
}

function bindOrDo(w: Writer, as: unknown, value: string): void {
  w.line(as ? `$rt.bind($f, ${lit(as)}, ${value});` : `${value};`);
}

/** What `await X` is in this body: JavaScript's await, or (in a function) the runtime's check. */
function awaitOf(b: Body, awaitable: string): string {
  return b.async ? `await $rt.awaitable(${awaitable})` : `$rt.awaitInFunction($f, ${awaitable})`;
}

function statement(w: Writer, st: Step, b: Body): void {
  const s = st as Record<string, any>;
  if ("await" in s) {
    bindOrDo(w, s.as, awaitOf(b, `$rt.ev(${lit(s.await)}, $f)`));
  } else if ("do" in s) {
    bindOrDo(w, s.as, `$rt.ev(${lit(s.do)}, $f)`);
  } else if ("trace" in s) {
    w.line(`$rt.trace($f, ${lit(s.trace)}${s.values ? `, ${lit(s.values)}` : ""});`);
  } else if ("return" in s) {
    w.line(`$r = $rt.ev(${lit(s.return)}, $f);`);
    w.line("break $body;");
  } else if ("raise" in s) {
    w.line(s.raise === null ? "throw $rt.reraise($f);" : `throw $rt.raising(${lit(s.raise)}, $f);`);
  } else if ("if" in s) {
    w.open(`if ($rt.test(${lit(s.if)}, $f)) {`);
    block(w, s.then ?? [], b);
    if (s.else && s.else.length > 0) {
      w.mid("} else {");
      block(w, s.else, b);
    }
    w.close();
  } else if ("while" in s) {
    w.open(`while ($rt.test(${lit(s.while)}, $f)) {`);
    block(w, s.body, { ...b, loops: b.loops + 1 });
    w.close();
  } else if ("for" in s) {
    const item = w.fresh("item");
    w.open(`for (const ${item} of $rt.ev(${lit(s.in)}, $f)) {`);
    w.line(`$rt.bind($f, ${lit(s.for)}, ${item});`);
    block(w, s.body, { ...b, loops: b.loops + 1 });
    w.close();
  } else if ("break" in s) {
    w.line(b.loops > 0 ? "break;" : "break $body;");
  } else if ("continue" in s) {
    w.line(b.loops > 0 ? "continue;" : "break $body;");
  } else if ("try" in s) {
    tryStatement(w, s, b);
  } else if ("async_with" in s) {
    asyncWith(w, s, b);
  } else if ("pass" in s) {
    w.line(";");
  } else {
    w.line(`throw $rt.fail(new $rt.ScenarioError(${lit(`unknown statement ${JSON.stringify(Object.keys(s))}`)}));`);
  }
}

/**
 * try / except / else / finally: the handlers see the body's exceptions only (never a
 * ScenarioError), `else` runs when the body ran to its end, `finally` always.
 */
function tryStatement(w: Writer, s: Record<string, any>, b: Body): void {
  const handlers: { types?: string[]; as?: string; body: Block }[] = s.except ?? [];
  const hasElse = Array.isArray(s.else) && s.else.length > 0;
  const hasFinally = Array.isArray(s.finally);
  const e = w.fresh("e"), ok = w.fresh("ok");
  if (hasFinally) w.open("try {");
  if (hasElse) w.line(`let ${ok} = false;`);
  if (handlers.length > 0) {
    w.open("try {");
    block(w, s.try, b);
    if (hasElse) w.line(`${ok} = true;`);
    w.mid(`} catch (${e}) {`);
    w.line(`if (${e} instanceof $rt.ScenarioError) throw ${e};`);
    handlers.forEach((h, i) => {
      const test = `if ($rt.handles(${e}, ${lit(h.types ?? [])})) {`;
      if (i === 0) w.open(test);
      else w.mid(`} else ${test}`);
      if (h.as) w.line(`$rt.bind($f, ${lit(h.as)}, ${e});`);
      w.line(`$f.handling.push(${e});`);
      w.open("try {");
      block(w, h.body, b);
      w.mid("} finally {");
      w.line("$f.handling.pop();");
      w.close();
    });
    w.mid("} else {");
    w.line(`throw ${e};`);
    w.close();
    w.close();
  } else {
    block(w, s.try, b);
    if (hasElse) w.line(`${ok} = true;`);
  }
  if (hasElse) {
    w.open(`if (${ok}) {`);
    block(w, s.else, b);
    w.close();
  }
  if (hasFinally) {
    w.mid("} finally {");
    block(w, s.finally, b);
    w.close();
  }
}

/** async with X as N: body — `__aexit__(type, exc, null)` on an exception (a truthy result suppresses it), else `__aexit__(null, null, null)`. */
function asyncWith(w: Writer, s: Record<string, any>, b: Body): void {
  const cm = w.fresh("cm"), e = w.fresh("e"), raised = w.fresh("raised");
  w.open("{");
  w.line(`const ${cm} = $rt.ev(${lit(s.async_with)}, $f);`);
  bindOrDo(w, s.as, awaitOf(b, `${cm}.__aenter__()`));
  w.line(`let ${raised} = false;`);
  w.open("try {");
  block(w, s.body, b);
  w.mid(`} catch (${e}) {`);
  w.line(`${raised} = true;`);
  w.line(`if (${e} instanceof $rt.ScenarioError) throw ${e};`);
  w.line(`if (!$rt.truthy(${awaitOf(b, `${cm}.__aexit__($rt.excType(${e}), ${e}, null)`)})) throw ${e};`);
  w.mid("} finally {");
  w.line(`if (!${raised}) ${awaitOf(b, `${cm}.__aexit__(null, null, null)`)};`);
  w.close();
  w.close();
}

function params(defn: Callable): string[] {
  const local = new Set<string>();
  return (defn.params ?? []).map((p) => identifier(p, local));
}

/** A coroutine: start event, body, return or raise event (after every finally block has run). */
function coroutine(w: Writer, jsName: string, name: string, defn: Callable, isMain: boolean): void {
  const ps = params(defn);
  w.open(`async function ${jsName}(${ps.join(", ")}) {`);
  w.line(`const $f = $rt.enter(${lit(name)}, [${ps.join(", ")}]${isMain ? ", true" : ""});`);
  w.line("let $r = null;");
  w.open("try {");
  w.open("$body: {");
  block(w, defn.body, { async: true, loops: 0 });
  w.close();
  w.mid("} catch ($e) {");
  w.line("throw $rt.raised($f, $e);");
  w.close();
  w.line("return $rt.returned($f, $r);");
  w.close();
}

/** A plain function (a callback): call event, body, raise event. */
function fn(w: Writer, jsName: string, name: string, defn: Callable): void {
  const ps = params(defn);
  w.open(`function ${jsName}(${ps.join(", ")}) {`);
  w.line(`const $f = $rt.called(${lit(name)}, arguments);`);
  w.line("let $r = null;");
  w.open("try {");
  w.open("$body: {");
  block(w, defn.body, { async: false, loops: 0 });
  w.close();
  w.mid("} catch ($e) {");
  w.line("throw $rt.fnRaised($f, $e);");
  w.close();
  w.line("return $r;");
  w.close();
}

/** The scenario as JavaScript declarations (see the module's comment). */
export function generate(sc: Scenario): Generated {
  const taken = new Set<string>();
  const names: Names = { coroutines: {}, functions: {}, main: "" };
  for (const n of Object.keys(sc.coroutines ?? {})) names.coroutines[n] = identifier(n, taken);
  for (const n of Object.keys(sc.functions ?? {})) names.functions[n] = identifier(n, taken);
  names.main = identifier("main", taken);
  const w = new Writer();
  w.line(`// ${sc.id}: generated from the scenario by ts/conformance/codegen.ts`);
  for (const [n, defn] of Object.entries(sc.coroutines ?? {})) coroutine(w, names.coroutines[n], n, defn, false);
  for (const [n, defn] of Object.entries(sc.functions ?? {})) fn(w, names.functions[n], n, defn);
  coroutine(w, names.main, "main", { body: sc.main }, true);
  return { source: w.text() + "\n", names };
}
