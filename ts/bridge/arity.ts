/**
 * Argument-count checks for registered JavaScript functions, which would otherwise take
 * any number of arguments silently. Python raises TypeError for a wrong count; so do we.
 */

const cache = new WeakMap<Function, number | null>();

/** Top-level parameters in a function's source, or null if it has a rest parameter or is native. */
export function paramCount(fn: Function): number | null {
  if (cache.has(fn)) return cache.get(fn)!;
  let n: number | null = null;
  const src = Function.prototype.toString.call(fn);
  if (!src.includes("[native code]")) {
    const arrowOne = /^(?:async\s*)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
    if (arrowOne) n = 1;
    else {
      const open = src.indexOf("(");
      if (open >= 0) n = countParams(src, open);
    }
  }
  cache.set(fn, n);
  return n;
}

// Counts top-level commas between the parameter list's parentheses, skipping strings,
// brackets and default-value expressions.
function countParams(src: string, open: number): number | null {
  let depth = 0;
  let count = 0;
  let any = false;
  for (let i = open + 1; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'" || c === "`") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) return null;
      i = end;
      any = true;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      if (depth === 0) return any ? count + 1 : 0;
      depth--;
    } else if (c === "," && depth === 0) {
      // a trailing comma before ")" does not start a parameter
      if (/^\s*\)/.test(src.slice(i + 1))) return count + 1;
      count++;
    } else if (c === "." && depth === 0 && src.startsWith("...", i)) return null;
    else if (!/\s/.test(c) && !(c === "/" && (src[i + 1] === "/" || src[i + 1] === "*"))) any = true;
  }
  return null;
}

/**
 * Throws TypeError, worded as Python's, when more arguments are given than `fn`'s parameter
 * list names (and it has no rest parameter). Too few is not checked: JavaScript (and
 * TypeScript's optional parameters) make missing trailing arguments `undefined` by design.
 */
export function checkArity(fn: Function, name: string, given: number): void {
  const max = paramCount(fn);
  if (max !== null && given > max) {
    throw new TypeError(`${name}() takes ${max} positional argument${max === 1 ? "" : "s"} but ${given} were given`);
  }
}
