/**
 * Jest runs tests in a vm context whose `Symbol` lacks Node's `Symbol.asyncDispose` (Node
 * defines it on the main realm only), so `await using` and every `[Symbol.asyncDispose]`
 * method would break there. Node's symbol is the registered `nodejs.asyncDispose`, shared by
 * all realms: define the same one. Import this module first, before tulip's.
 */
const S = Symbol as unknown as { asyncDispose?: symbol; dispose?: symbol };
S.asyncDispose ??= Symbol.for("nodejs.asyncDispose");
S.dispose ??= Symbol.for("nodejs.dispose");
export {};
