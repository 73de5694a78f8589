/**
 * `node --import tulip/register app.ts`: runs a program with its async functions compiled into
 * tulip coroutines (ts/compile.ts), with no build step. TypeScript files have their types
 * stripped on the way; `import "./x.js"` finds `x.ts` when no `x.js` exists, as tsc's NodeNext
 * convention expects. Source maps are inline: add `--enable-source-maps` for stack traces on
 * your own lines. Files under node_modules (tulip's own included) load unchanged.
 */
import { register } from "node:module";

register("./_register_hooks.js", import.meta.url);
