/**
 * The module hooks behind `tulip/register` (Node's module.register API; they run on the
 * loader's own thread). `load` compiles ES modules outside node_modules and outside tulip's
 * own build; `resolve` maps a missing `./x.js` to `./x.ts`.
 */
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "./compile.js";

type Resolve = (specifier: string, context: object) => Promise<{ url: string; format?: string | null }>;
type Load = (url: string, context: { format?: string | null }) => Promise<{ format: string; source?: string | ArrayBuffer | Uint8Array | null }>;

/** tulip's own build (dist/): loaded as it is. */
const OWN_BUILD = dirname(fileURLToPath(import.meta.url)) + "/";
const TS = /\.(ts|mts)$/;
const JS = /\.(js|mjs)$/;

function mine(url: string): boolean {
  if (!url.startsWith("file:")) return false;
  const path = fileURLToPath(url);
  return !path.includes("/node_modules/") && !path.startsWith(OWN_BUILD);
}

export async function resolve(specifier: string, context: object, next: Resolve): Promise<{ url: string; format?: string | null }> {
  try {
    return await next(specifier, context);
  } catch (e) {
    if ((e as { code?: string }).code !== "ERR_MODULE_NOT_FOUND" || !/^\.{1,2}\/.*\.m?js$/.test(specifier)) throw e;
    return await next(specifier.replace(/js$/, "ts"), context);
  }
}

export async function load(url: string, context: { format?: string | null }, next: Load): Promise<{ format: string; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean }> {
  if (!mine(url)) return next(url, context);
  let source: string;
  if (TS.test(url)) {
    source = await readFile(fileURLToPath(url), "utf8");
  } else if (JS.test(url)) {
    const r = await next(url, context);
    if (r.format !== "module" || r.source == null) return r; // CommonJS loads unchanged
    source = typeof r.source === "string" ? r.source : Buffer.from(r.source as Uint8Array).toString("utf8");
  } else {
    return next(url, context);
  }
  const { code } = transform(source, fileURLToPath(url), { sourceMaps: "inline" });
  return { format: "module", source: code, shortCircuit: true };
}
