/**
 * tulip's compile step: turns a module's async functions into tulip coroutines.
 *
 * A plain JavaScript async function starts running when called and is resumed by V8's
 * microtasks, so tulip can only guess which task an `await` belongs to. Compiled, the same
 * source is a Python coroutine: `async function f() { … await x … }` becomes
 * `_async_function("f")(function* () { … yield x … })` (Babel's own async-to-generator
 * rewrite, which keeps `this`, `arguments` and `super`), whose calls make lazy coroutine
 * objects that a task steps exactly as CPython steps `async def` (ts/asyncio/coroutines.ts).
 * Only async functions, async arrows and methods, async generators and `for await` change;
 * every other construct keeps the project's own target. Source maps map back to the input.
 * A function under a `// tulip: plain async` comment is left as it is (see KEEP_PLAIN).
 *
 *   import { transform } from "tulip/compile";
 *   const { code, map } = transform(source, "app.ts");
 *
 * `node --import tulip/register app.ts` applies it at load time (ts/register.ts).
 */
import { createRequire } from "node:module";
import { transformSync, types as t, type NodePath, type PluginObj as PluginObject } from "@babel/core";

// Babel 7 (which supports Node 20; Babel 8 requires Node 22.18): CommonJS modules whose
// function is their `default` export, which an ESM default import would not unwrap.
const require = createRequire(import.meta.url);
const remapAsyncToGenerator: (path: NodePath<t.Function>, helpers: { wrapAsync: t.Expression }, noNewArrows?: boolean, ignoreFunctionLength?: boolean) => void =
  require("@babel/helper-remap-async-to-generator").default;
const asyncGeneratorFunctions: unknown = require("@babel/plugin-transform-async-generator-functions").default;
const transformTypescript: unknown = require("@babel/plugin-transform-typescript").default;

export interface TransformOptions {
  /** Turn async functions into tulip coroutines (default true); false only strips TypeScript types. */
  async?: boolean;
  /** Where the runtime helper is imported from (default "tulip"). */
  runtime?: string;
  /** "inline" appends the source map to the code as a data URL (what a loader wants). */
  sourceMaps?: boolean | "inline";
  /** The source's own map (a compiled file's input map), to chain through. */
  inputSourceMap?: object;
}

export interface TransformResult {
  code: string;
  map: object | null;
}

const TS_FILE = /\.(ts|mts|cts|tsx)$/;

/** The name a function is known by, for the coroutine's `__qualname__` (Python's "C.m" for methods). */
function qualname(path: NodePath<t.Function>): string {
  const node = path.node;
  const parent = path.parent;
  let name: string | null = null;
  if ((t.isFunctionDeclaration(node) || t.isFunctionExpression(node)) && node.id) name = node.id.name;
  else if ((t.isObjectMethod(node) || t.isClassMethod(node) || t.isClassPrivateMethod(node)) && !node.computed) name = keyName(node.key);
  else if (t.isVariableDeclarator(parent) && t.isIdentifier(parent.id)) name = parent.id.name;
  else if ((t.isObjectProperty(parent) || t.isClassProperty(parent) || t.isClassPrivateProperty(parent)) && !("computed" in parent && parent.computed)) name = keyName(parent.key);
  else if (t.isAssignmentExpression(parent)) name = t.isIdentifier(parent.left) ? parent.left.name : t.isMemberExpression(parent.left) ? keyName(parent.left.property) : null;
  name ??= "<anonymous>";
  const cls = path.findParent((p) => p.isClass()) as NodePath<t.Class> | null;
  if (cls !== null && (t.isClassMethod(node) || t.isClassPrivateMethod(node) || t.isClassProperty(parent) || t.isClassPrivateProperty(parent))) {
    const cname = cls.node.id?.name ?? (t.isVariableDeclarator(cls.parent) && t.isIdentifier(cls.parent.id) ? cls.parent.id.name : null);
    if (cname) return `${cname}.${name}`;
  }
  return name;
}

function keyName(key: t.Node): string | null {
  if (t.isIdentifier(key)) return key.name;
  if (t.isStringLiteral(key) || t.isNumericLiteral(key)) return String(key.value);
  if (t.isPrivateName(key)) return `#${key.id.name}`;
  return null;
}

/**
 * A function whose comment says `tulip: plain async` stays a plain async function: one that
 * must start when called and return a real Promise (tulip's own `run_until_complete` and
 * `asyncio.run`, which drive the loop from outside it).
 */
const KEEP_PLAIN = /\btulip: plain async\b/;

/** Babel's helper that makes an async generator function of a generator function (and its renamings). */
const WRAP_ASYNC_GENERATOR = /^_wrapAsyncGenerator\d*$/;

function keptPlain(path: NodePath<t.Function>): boolean {
  // The comment sits on the statement: the declaration, its `export`, the method, or the
  // `const f = async …` that holds an arrow.
  for (let p: NodePath | null = path; p !== null && !p.isProgram() && !p.isBlockStatement() && !p.isClassBody(); p = p.parentPath) {
    if (p.node.leadingComments?.some((c) => KEEP_PLAIN.test(c.value))) return true;
  }
  return false;
}

/**
 * Marks the function the user sees as a coroutine function (`_async_function.mark`), so that
 * `iscoroutinefunction` holds for it: a declaration at the top of its block (declarations are
 * hoisted, so every call after the block starts sees the mark), an expression or arrow by
 * wrapping it, a class method from a static block at the end of its class. Not marked: object
 * literal methods, private and computed-key methods, an anonymous `export default`.
 */
interface Place {
  parent: NodePath;
  key: string | number;
  listKey: string | undefined;
}

function markCoroutineFunction(path: NodePath<t.Function>, before: t.Function, at: Place, helper: t.Identifier): void {
  const mark = (e: t.Expression) => t.callExpression(t.memberExpression(t.cloneNode(helper), t.identifier("mark")), [e]);
  if (t.isFunctionDeclaration(before)) {
    if (before.id == null) return;
    const block = path.findParent((p) => p.isProgram() || p.isBlockStatement()) as NodePath<t.Program | t.BlockStatement> | null;
    block?.unshiftContainer("body", t.expressionStatement(mark(t.identifier(before.id.name))));
  } else if (t.isFunctionExpression(before) || t.isArrowFunctionExpression(before)) {
    // What now stands where the expression stood (Babel's wrapper around the function).
    const now = (at.listKey ? (at.parent.get(at.listKey) as NodePath[])[at.key as number] : at.parent.get(at.key as string)) as NodePath<t.Expression>;
    now.replaceWith(mark(now.node));
    now.skip();
  } else if (t.isClassMethod(before) && !before.computed && t.isIdentifier(before.key) && before.kind === "method") {
    const body = path.parentPath;
    if (!body?.isClassBody()) return;
    const target = before.static ? t.thisExpression() : t.memberExpression(t.thisExpression(), t.identifier("prototype"));
    body.pushContainer("body", t.staticBlock([t.expressionStatement(mark(t.memberExpression(target, t.identifier(before.key.name))))]));
  }
}

/** The Babel plugin: every async (non-generator) function becomes `_async_function(name)(function* …)`. */
export function asyncToTulip(runtime = "tulip"): () => PluginObject {
  return () => ({
    name: "tulip-async-to-coroutine",
    visitor: {
      // On exit: after `for await` and async generators have become plain awaits.
      Program: { exit(program: NodePath<t.Program>) {
        let helper: t.Identifier | null = null;
        let genHelper: t.Identifier | null = null;
        program.traverse({
          Function(path: NodePath<t.Function>) {
            if (!path.node.async || path.node.generator || keptPlain(path)) return;
            const id = (helper ??= program.scope.generateUidIdentifier("_async_function"));
            const wrapAsync = t.callExpression(t.cloneNode(id), [t.stringLiteral(qualname(path))]);
            const before = { ...path.node } as t.Function; // remap rewrites the node in place
            const at: Place = { parent: path.parentPath as NodePath, key: path.key as string | number, listKey: path.listKey ?? undefined };
            remapAsyncToGenerator(path, { wrapAsync }, true, false);
            markCoroutineFunction(path, before, at, id);
          },
          // An async generator function (Babel's `_wrapAsyncGenerator(function* …)`): its
          // generators register with the running loop, for shutdown_asyncgens().
          CallExpression(path: NodePath<t.CallExpression>) {
            const callee = path.node.callee;
            if (!t.isIdentifier(callee) || !WRAP_ASYNC_GENERATOR.test(callee.name)) return;
            if (t.isCallExpression(path.parent) && t.isIdentifier(path.parent.callee) && genHelper !== null && path.parent.callee.name === genHelper.name) return;
            const id = (genHelper ??= program.scope.generateUidIdentifier("_async_generator"));
            path.replaceWith(t.callExpression(t.cloneNode(id), [path.node]));
            path.skip();
          },
        });
        const specs: t.ImportSpecifier[] = [];
        if (helper !== null) specs.push(t.importSpecifier(t.cloneNode(helper as t.Identifier), t.identifier("_async_function")));
        if (genHelper !== null) specs.push(t.importSpecifier(t.cloneNode(genHelper as t.Identifier), t.identifier("_async_generator")));
        if (specs.length > 0) program.unshiftContainer("body", t.importDeclaration(specs, t.stringLiteral(runtime)));
      } },
    },
  });
}

/**
 * Compiles one module's source. TypeScript files (by `filename`) have their types stripped;
 * with `async` (the default), async functions become tulip coroutines.
 */
export function transform(source: string, filename: string, options: TransformOptions = {}): TransformResult {
  const plugins: unknown[] = [];
  if (TS_FILE.test(filename)) plugins.push(transformTypescript);
  if (options.async ?? true) {
    // `for await` and async generators first: their awaits become plain awaits, compiled next.
    plugins.push(asyncGeneratorFunctions, asyncToTulip(options.runtime ?? "tulip"));
  }
  const r = transformSync(source, {
    filename,
    babelrc: false,
    configFile: false,
    sourceType: "module",
    sourceMaps: options.sourceMaps ?? false,
    inputSourceMap: options.inputSourceMap as never,
    plugins: plugins as never,
  });
  if (r === null || r.code == null) throw new Error(`tulip compile: nothing came out of ${filename}`);
  return { code: r.code, map: (r.map as object | null | undefined) ?? null };
}
