/**
 * tulip's compile step (ts/compile.ts) and loader (ts/register.ts): async functions written
 * plainly become coroutines that CPython's order, cancellation and task identity apply to.
 * Each program runs in a child process, as a user runs it; where CPython can run the same
 * program, its output is CPython's, printed now.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as asyncio from "../asyncio/index.js";
import { CoroutineObject } from "../asyncio/coroutines.js";
import { transform } from "../compile.js";
import { pythonExe } from "./asyncio/_cpython.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dir = join(root, "build", "test-compile");
mkdirSync(dir, { recursive: true });

function runTs(name: string, src: string, how: "register" | "compile" | "raw" = "register"): { out: string; err: string; status: number | null } {
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, src);
  let args: string[];
  if (how === "register") {
    args = ["--import", "tulip/register", "--enable-source-maps", file];
  } else {
    const mjs = join(dir, `${name}.${how}.mjs`);
    writeFileSync(mjs, transform(src, file, { async: how === "compile" }).code);
    args = [mjs];
  }
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: "utf8", timeout: 20000 });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

function runPy(src: string): string {
  const r = spawnSync(pythonExe(), ["-c", src], { encoding: "utf8", timeout: 20000 });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

/** The same program in Python and TypeScript: the compiled TypeScript prints what CPython prints. */
const PAIRS: { name: string; py: string; ts: string }[] = [
  {
    name: "create_task_first",
    py: `
import asyncio
async def worker(n):
    print("start", n, asyncio.current_task() is not None)
    await asyncio.sleep(0.01 * n)
    print("end", n)
    return n * 10
async def main():
    t1 = asyncio.create_task(worker(1), name="one")
    t2 = asyncio.create_task(worker(2))
    print("created", t1.get_name())
    asyncio.get_running_loop().call_soon(print, "callback")
    print(await t1, await t2)
asyncio.run(main())
`,
    ts: `
import * as asyncio from "tulip";
async function worker(n: number): Promise<number> {
  console.log("start", n, asyncio.current_task() !== null ? "True" : "False");
  await asyncio.sleep(0.01 * n);
  console.log("end", n);
  return n * 10;
}
async function main() {
  const t1 = asyncio.create_task(worker(1), { name: "one" });
  const t2 = asyncio.create_task(worker(2));
  console.log("created", t1.get_name());
  asyncio.get_running_loop().call_soon(console.log, "callback");
  console.log(await t1, await t2);
}
await asyncio.run(main());
`,
  },
  {
    name: "cancel_chain",
    py: `
import asyncio
async def c():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        print("c cancelled", e.args)
        raise
async def b():
    try:
        await c()
    finally:
        print("b finally")
async def main():
    t = asyncio.create_task(b())
    await asyncio.sleep(0)
    t.cancel("stop")
    try:
        await t
    except asyncio.CancelledError as e:
        print("main", e.args, t.cancelled())
    try:
        await asyncio.wait_for(c(), 0.01)
    except TimeoutError:
        print("timeout")
asyncio.run(main())
`,
    ts: `
import * as asyncio from "tulip";
async function c() {
  try {
    await asyncio.sleep(10);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("c cancelled", ("('" + e.message + "',)").replace("('',)", "()"));
    throw e;
  }
}
async function b() {
  try {
    await c();
  } finally {
    console.log("b finally");
  }
}
async function main() {
  const t = asyncio.create_task(b());
  await asyncio.sleep(0);
  t.cancel("stop");
  try {
    await t;
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("main", ("('" + e.message + "',)").replace("('',)", "()"), t.cancelled());
  }
  try {
    await asyncio.wait_for(c(), 0.01);
  } catch (e) {
    if (e instanceof asyncio.TimeoutError) console.log("timeout");
  }
}
await asyncio.run(main());
`,
  },
  {
    name: "lock_waiter_cancelled",
    py: `
import asyncio
async def holder(lock, ev):
    async with lock:
        print("holder in")
        await ev.wait()
    print("holder out")
async def waiter(lock, n):
    async with lock:
        print("waiter in", n)
async def main():
    lock, ev = asyncio.Lock(), asyncio.Event()
    h = asyncio.create_task(holder(lock, ev))
    await asyncio.sleep(0)
    w1 = asyncio.create_task(waiter(lock, 1))
    w2 = asyncio.create_task(waiter(lock, 2))
    await asyncio.sleep(0)
    w1.cancel()
    ev.set()
    await asyncio.gather(h, w1, w2, return_exceptions=True)
    print(w1.cancelled(), lock.locked())
asyncio.run(main())
`,
    ts: `
import * as asyncio from "tulip";
async function holder(lock: asyncio.Lock, ev: asyncio.Event) {
  await asyncio.asyncWith(lock, async () => {
    console.log("holder in");
    await ev.wait();
  });
  console.log("holder out");
}
async function waiter(lock: asyncio.Lock, n: number) {
  await asyncio.asyncWith(lock, async () => {
    console.log("waiter in", n);
  });
}
async function main() {
  const lock = new asyncio.Lock(), ev = new asyncio.Event();
  const h = asyncio.create_task(holder(lock, ev));
  await asyncio.sleep(0);
  const w1 = asyncio.create_task(waiter(lock, 1));
  const w2 = asyncio.create_task(waiter(lock, 2));
  await asyncio.sleep(0);
  w1.cancel();
  ev.set();
  await asyncio.gather(h, w1, w2, { return_exceptions: true });
  console.log(w1.cancelled() ? "True" : "False", lock.locked() ? "True" : "False");
}
await asyncio.run(main());
`,
  },
  {
    // CPython's loop learns of async generators through sys.set_asyncgen_hooks; compiled ones
    // register at their first iteration, so shutdown_asyncgens() closes those left suspended.
    name: "asyncgen_shutdown",
    py: `
import asyncio
class Source:
    async def items(self):
        try:
            yield "item"
            await asyncio.sleep(1)
        finally:
            print("items finally")
async def ticks():
    try:
        yield 1
        yield 2
    finally:
        await asyncio.sleep(0)
        print("ticks finally")
kept = []  # a generator collected early is closed by its finalizer hook instead (a task asyncio.run cancels)
async def main():
    t, s = ticks(), Source().items()
    kept.extend([t, s])
    print(await t.__anext__(), await s.__anext__())
    done = ticks()
    print([x async for x in done])
    print("main returns")
asyncio.run(main())
print("after run")
`,
    ts: `
import * as asyncio from "tulip";
class Source {
  async *items() {
    try { yield "item"; await asyncio.sleep(1); } finally { console.log("items finally"); }
  }
}
async function* ticks() {
  try { yield 1; yield 2; } finally { await asyncio.sleep(0); console.log("ticks finally"); }
}
const kept: AsyncGenerator[] = [];
async function main() {
  const t = ticks(), s = new Source().items();
  kept.push(t, s);
  console.log((await t.next()).value, (await s.next()).value);
  const all = [];
  for await (const x of ticks()) all.push(x);
  console.log(\`[\${all.join(", ")}]\`);
  console.log("main returns");
}
await asyncio.run(main());
console.log("after run");
`,
  },
];

describe("compiled plain async functions match CPython", () => {
  const expected = new Map<string, string>();
  beforeAll(() => {
    for (const p of PAIRS) expected.set(p.name, runPy(p.py));
  });
  for (const p of PAIRS) {
    test(`${p.name} (node --import tulip/register)`, () => {
      const r = runTs(p.name, p.ts);
      expect(r.err).toBe("");
      expect(r.out.replace(/\btrue\b/g, "True").replace(/\bfalse\b/g, "False")).toBe(expected.get(p.name));
    });
    test(`${p.name} (transform, then plain node)`, () => {
      const r = runTs(p.name, p.ts, "compile");
      expect(r.out.replace(/\btrue\b/g, "True").replace(/\bfalse\b/g, "False")).toBe(expected.get(p.name));
    });
  }
});

describe("the transform", () => {
  test("names coroutines as Python qualifies them, keeps this, arguments and super", () => {
    const r = runTs("names", `
import * as asyncio from "tulip";
class Base { greet() { return "base"; } }
class A extends Base {
  k = 3;
  async m(x: number) { await asyncio.sleep(0); return [this.k, x, arguments.length, super.greet()]; }
  field = async () => this.k;
}
const arrow = async () => 1;
async function f() {}
const a = new A();
const coros = [a.m(1), a.field(), arrow(), f()];
console.log(coros.map(String).join(" "));
console.log(JSON.stringify(await asyncio.run((async () => await asyncio.gather(...coros))())));
`);
    expect(r.err).toBe("");
    expect(r.out).toBe("<coroutine object A.m> <coroutine object A.field> <coroutine object arrow> <coroutine object f>\n[[3,1,1,\"base\"],3,1,null]\n");
  });

  test("a compiled async function is a coroutine function, as the async def it ports", () => {
    const r = runTs("iscoroutinefunction", `
import * as asyncio from "tulip";
async function decl() { return 1; }
const arrow = async (x: number) => x;
const expr = async function named() { return 2; };
class A {
  async m() { return 3; }
  static async s() { return 4; }
  field = async () => 5;
}
{ async function inBlock() {} console.log(asyncio.iscoroutinefunction(inBlock)); }
function sync() { return 0; }
const fns = [decl, arrow, expr, A.prototype.m, A.s, new A().field];
console.log(fns.map((f) => asyncio.iscoroutinefunction(f)).join(" "), asyncio.iscoroutinefunction(sync));
console.log(fns.slice(0, 5).map((f) => f.name).join(" "));
await asyncio.run(async () => {
  try { asyncio.get_running_loop().call_soon(decl); } catch (e) { console.log(String(e)); }
  console.log(await decl(), await arrow(7), await expr(), await new A().m(), await A.s(), await new A().field());
});
`);
    expect(r.err).toBe("");
    expect(r.out).toBe("true\ntrue true true true true true false\ndecl arrow named m s\n"
      + "TypeError: coroutines cannot be used with call_soon()\n1 7 2 3 4 5\n");
  });

  test("a compiled coroutine is lazy: its body runs at its task's first step", () => {
    const src = `
import * as asyncio from "tulip";
async function body() { console.log("body"); }
async function main() {
  const t = asyncio.create_task(body());
  console.log("after create_task");
  await t;
}
await asyncio.run(main());
`;
    expect(runTs("lazy", src).out).toBe("after create_task\nbody\n");
  });

  test("for await, async generators, and awaiting values that are not awaitable", () => {
    const r = runTs("agen", `
import * as asyncio from "tulip";
async function* count(n: number) { for (let i = 0; i < n; i++) { await asyncio.sleep(0); yield i; } }
async function main() {
  const seen: number[] = [];
  for await (const i of count(5)) { if (i === 3) break; seen.push(i); }
  const v = await (42 as unknown as Promise<number>);
  const p = await Promise.resolve("promise");
  console.log(seen.join(","), v, p);
}
await asyncio.run(main());
`);
    expect(r.err).toBe("");
    expect(r.out).toBe("0,1,2 42 promise\n");
  });

  test("a task awaiting a foreign promise is cancelled at once, the promise's outcome dropped", () => {
    const r = runTs("foreign", `
import * as asyncio from "tulip";
let resolveIt!: (v: string) => void;
const p = new Promise<string>((r) => { resolveIt = r; });
async function waits() {
  try { console.log("got", await p); } catch (e) { console.log("waits:", (e as Error).name); throw e; }
}
async function main() {
  const loop = asyncio.get_running_loop();
  const t = asyncio.create_task(waits());
  await asyncio.sleep(0);
  t.cancel();
  const t0 = loop.time();
  try { await t; } catch (e) { console.log("main:", (e as Error).name, loop.time() - t0 < 1); }
  resolveIt("late");
  await asyncio.sleep(0);
}
await asyncio.run(main());
`);
    expect(r.err).toBe("");
    expect(r.out).toBe("waits: CancelledError\nmain: CancelledError true\n");
  });

  test("a compiled async function that Node calls while a loop runs still runs, as its own task", () => {
    const r = runTs("orphan", `
import * as asyncio from "tulip";
async function handler(n: number) {
  await asyncio.sleep(0);
  console.log("handled", n, asyncio.current_task() !== null);
}
async function main() {
  const done = asyncio.get_running_loop().create_future();
  setTimeout(() => { handler(1); setTimeout(() => done.set_result(null), 20); }, 1);
  await done;
}
await asyncio.run(main());
// With no loop running, awaiting it from plain code runs it as a plain async function would.
async function plain() { await null; return "plain ok"; }
console.log(await plain());
`);
    expect(r.err).toBe("");
    expect(r.out).toBe("handled 1 true\nplain ok\n");
  });

  test("stack traces point at the TypeScript source's own lines", () => {
    const r = runTs("stack", `
import * as asyncio from "tulip";

async function fails(): Promise<void> {
  await asyncio.sleep(0);
  throw new Error("boom"); // line 6
}
await asyncio.run(fails());
`);
    expect(r.status).not.toBe(0);
    expect(r.err).toMatch(/stack\.ts:6:\d+/);
  });

  test("only types are removed with async: false", () => {
    const { code } = transform("const f = async (x: number): Promise<number> => { await 0; return x; };", "x.ts", { async: false });
    expect(code).toMatch(/async \(?x\)? =>/);
    expect(code).not.toContain("tulip");
  });

  test("a function under a `tulip: plain async` comment stays a plain async function", () => {
    const { code } = transform(`
// tulip: plain async (it must start when called)
export async function kept() { await 0; }
class C {
  /** tulip: plain async */
  async m() { await 0; }
  async n() { await 0; }
}
async function compiled() { await 0; }
`, "x.ts");
    expect(code).toMatch(/export async function kept\(\)/);
    expect(code).toMatch(/async m\(\)/);
    expect(code).toContain('_async_function("C.n")');
    expect(code).toContain('_async_function("compiled")');
  });

  test("tulip's own async functions are compiled coroutines, except those that run the loop from outside it", async () => {
    const loop = asyncio.new_event_loop() as asyncio.NodeEventLoop;
    try {
      const coro = loop.create_connection(asyncio.Protocol, "127.0.0.1", 1) as unknown;
      expect(coro).toBeInstanceOf(CoroutineObject);
      expect(String(coro)).toBe("<coroutine object NodeEventLoop.create_connection>");
      (coro as CoroutineObject).close();
    } finally {
      loop.close();
    }
    const running = asyncio.run(() => asyncio.sleep(0));
    expect(running).toBeInstanceOf(Promise);
    await running;
  });
});

describe("plain async functions without the compile step", () => {
  test("asyncio.run(main()) whose first line is gather of plain calls runs to its end (it hung: the children went to the loop made on first use, and run ran another)", () => {
    const r = runTs("raw_gather_first", `
import * as asyncio from "tulip";
async function worker(name: string, delay: number): Promise<string> {
  await asyncio.sleep(delay);
  return name + " done";
}
async function main() {
  const results = await asyncio.gather(worker("a", 0.2), worker("b", 0.1));
  console.log(results.join(", "));
}
await asyncio.run(main());
console.log("end");
`, "raw");
    expect(r.err).toBe("");
    expect(r.out).toBe("a done, b done\nend\n");
  });

  // A body called inside another task's step starts at once (as 3.12's eager tasks do), and
  // from its first await on belongs to the task made of it: cancel() reaches it, wait_for
  // times it out, current_task() names it.
  const py = `
import asyncio
async def worker(name, d):
    print("start", name)
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError:
        print("cancelled", name)
        raise
    print("after sleep", name, asyncio.current_task().get_name())
    return name + " done"
async def main():
    await asyncio.sleep(0)
    t = asyncio.get_running_loop().create_task(worker("a", 1), name="A")
    t2 = asyncio.get_running_loop().create_task(worker("b", 0.01), name="B")
    await asyncio.sleep(0.05)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("main saw CancelledError", t.cancelled())
    print(await t2)
    try:
        await asyncio.wait_for(worker("c", 5), 0.01)
    except TimeoutError:
        print("wait_for TimeoutError")
    print(await asyncio.gather(worker("g1", 0.02), worker("g2", 0.01)), len(asyncio.all_tasks()))
asyncio.run(main())
`;
  const ts = `
import * as asyncio from "tulip";
async function worker(name: string, d: number): Promise<string> {
  console.log("start", name);
  try {
    await asyncio.sleep(d);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("cancelled", name);
    throw e;
  }
  console.log("after sleep", name, asyncio.current_task()!.get_name());
  return name + " done";
}
async function main() {
  await asyncio.sleep(0);
  const t = asyncio.get_running_loop().create_task(worker("a", 1), { name: "A" });
  const t2 = asyncio.get_running_loop().create_task(worker("b", 0.01), { name: "B" });
  await asyncio.sleep(0.05);
  t.cancel();
  try {
    await t;
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("main saw CancelledError", t.cancelled() ? "True" : "False");
  }
  console.log(await t2);
  try {
    await asyncio.wait_for(worker("c", 5), 0.01);
  } catch (e) {
    if (e instanceof asyncio.TimeoutError) console.log("wait_for TimeoutError");
  }
  const r = await asyncio.gather(worker("g1", 0.02), worker("g2", 0.01));
  console.log("[" + r.map((x) => "'" + x + "'").join(", ") + "]", asyncio.all_tasks().size);
}
await asyncio.run(main);
`;
  test("cancel, wait_for, gather and current_task reach the body's own task", () => {
    const want = runPy(py);
    const r = runTs("plain_raw", ts, "raw");
    expect(r.err).toBe("");
    expect(r.out).toBe(want);
  });
});
