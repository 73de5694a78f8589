/**
 * `await using` needs Symbol.asyncDispose at run time; Node 20 may lack it. Defined as Node's
 * own later versions define it, before any class computes a `[Symbol.asyncDispose]` key.
 */
if (typeof (Symbol as { asyncDispose?: symbol }).asyncDispose !== "symbol") {
  Object.defineProperty(Symbol, "asyncDispose", { value: Symbol.for("nodejs.asyncDispose") });
}
if (typeof (Symbol as { dispose?: symbol }).dispose !== "symbol") {
  Object.defineProperty(Symbol, "dispose", { value: Symbol.for("nodejs.dispose") });
}
export {};
