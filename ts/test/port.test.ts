/**
 * `tulip port` (ts/port/, py/tulip_bridge/port.py): snippets translated as the README's porting
 * conventions say, constructs it cannot translate named with file:line:col (or, with
 * --allow-todo, a todo() that throws), ported programs run on tulip printing what CPython
 * prints, the runtime helpers of tulip/py, the command, and the speed of a 1,000-line file.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "../compile.js";
import { portFiles } from "../port/port.js";
import * as py from "../port/py.js";
import { pythonExe } from "./asyncio/_cpython.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dir = join(root, "build", "test-port");
mkdirSync(dir, { recursive: true });

function port(name: string, source: string, allowTodo = false): { ts?: string; error?: string } {
  const file = join(dir, `${name}.py`);
  writeFileSync(file, source);
  const r = portFiles([file], { allowTodo })[0];
  return "ts" in r ? { ts: r.ts } : { error: r.error };
}

function ts(name: string, source: string): string {
  const r = port(name, source);
  if (r.error !== undefined) throw new Error(r.error);
  return r.ts!;
}

/** Ports, compiles (tulip's compile step) and runs a program; CPython runs the same source. */
function both(name: string, source: string): { cpython: string; tulip: string } {
  const code = ts(name, source);
  const mjs = join(dir, `${name}.mjs`);
  writeFileSync(mjs, transform(code, join(dir, `${name}.ts`)).code);
  const t = spawnSync(process.execPath, [mjs], { encoding: "utf8", timeout: 20_000 });
  const p = spawnSync(pythonExe(), [join(dir, `${name}.py`)], { encoding: "utf8", timeout: 20_000 });
  return { cpython: p.stdout + p.stderr.split("\n").filter((l) => /^\w+Error|^\w+Exception/.test(l)).join("\n"),
    tulip: t.stdout + (t.stderr.match(/^(\w+Error|\w+Exception)[^\n]*/m)?.[0] ?? "") };
}

describe("translation", () => {
  test("async def, await, asyncio.run and keyword-only arguments as an options object", () => {
    const out = ts("basic", [
      "import asyncio",
      "async def worker(n):",
      "    await asyncio.sleep(0.01)",
      "    return n * 2",
      "async def main():",
      "    t = asyncio.create_task(worker(1), name='w')",
      "    r = await asyncio.gather(t, worker(2), return_exceptions=True)",
      "    print(r)",
      "if __name__ == '__main__':",
      "    asyncio.run(main())",
    ].join("\n"));
    expect(out).toContain('import * as asyncio from "tulip";');
    expect(out).toContain("async function worker(n: any) {");
    expect(out).toContain("await asyncio.sleep(0.01);");
    expect(out).toContain('asyncio.create_task(worker(1), { name: "w" })');
    expect(out).toContain("await asyncio.gather(t, worker(2), { return_exceptions: true })");
    expect(out).toContain("await asyncio.run(main());");
    expect(out).not.toContain("__main__");
  });

  test("try/except by class, raise ... from, async with, f-strings, unpacking", () => {
    const out = ts("control", [
      "import asyncio",
      "async def main():",
      "    try:",
      "        async with asyncio.timeout(0.1) as cm:",
      "            a, b = 1, 2",
      "    except (ValueError, KeyError) as e:",
      "        raise RuntimeError('bad') from e",
      "    except asyncio.TimeoutError:",
      "        pass",
      "    print(f'{a} and {b!r}')",
    ].join("\n"));
    expect(out).toContain("await asyncio.asyncWith(asyncio.timeout(0.1), async (cm) => {");
    expect(out).toContain("[a, b] = tuple_(1, 2);");
    expect(out).toContain("if (e instanceof asyncio.ValueError || e instanceof asyncio.KeyError) {");
    expect(out).toContain('throw from_(new asyncio.RuntimeError("bad"), e);');
    expect(out).toContain("} else if (e instanceof asyncio.TimeoutError) {");
    expect(out).toContain("throw e;");
    expect(out).toContain("print(`${str(a)} and ${repr(b)}`);");
  });

  test("classes: a Protocol subclass, self, super, fields", () => {
    const out = ts("classes", [
      "import asyncio",
      "class Echo(asyncio.Protocol):",
      "    def __init__(self, log):",
      "        self.log = log",
      "    def data_received(self, data):",
      "        self.log.append(data.decode())",
    ].join("\n"));
    expect(out).toContain("class Echo extends asyncio.Protocol {");
    expect(out).toContain("  log: any;");
    expect(out).toContain("    super();");
    expect(out).toContain("    this.log.push(decode(data));");
  });

  test("contextvars, comprehensions, in, slicing, None", () => {
    const out = ts("misc", [
      "import contextvars",
      "v = contextvars.ContextVar('v', default=None)",
      "xs = [x * 2 for x in range(5) if x % 2]",
      "print(3 in xs, xs[-1], xs[1:3], v.get() is None)",
    ].join("\n"));
    expect(out).toContain('import * as contextvars from "tulip/contextvars";');
    expect(out).toContain('new contextvars.ContextVar<any>("v", { default: null })');
    expect(out).toContain("range(5).filter((x: any) => bool(mod(x, 2))).map((x: any) => x * 2)");
    expect(out).toContain("print(contains(xs, 3), getitem(xs, -1), xs.slice(1, 3), v.get() == null);");
  });

  test("a construct it cannot translate stops the file with file:line:col", () => {
    const r = port("nomatch", "import asyncio\nasync def main():\n    match 1:\n        case 1:\n            pass\n");
    expect(r.error).toBe(`${join(dir, "nomatch.py")}:3:5: cannot port match statement: no TypeScript translation`);
    expect(port("kwargs", "def f(**kw):\n    pass\n").error).toMatch(/kwargs\.py:1:1: cannot port \*\*kwargs: /);
    expect(port("unknown_module", "import socket\n").error).toMatch(/:1:1: cannot port import socket: /);
  });

  test("--allow-todo writes a marked todo() that throws when reached", () => {
    const r = port("todo", 'print("before")\nprint(type(1))\n', true);
    expect(r.ts).toContain("TODO(tulip port)");
    const mjs = join(dir, "todo.mjs");
    writeFileSync(mjs, transform(r.ts!, join(dir, "todo.ts")).code);
    const run = spawnSync(process.execPath, [mjs], { encoding: "utf8" });
    expect(run.stdout).toBe("before\n");
    expect(run.stderr).toContain("NotImplementedError: ");
    expect(run.stderr).toContain("cannot port type(x): ");
  });
});

describe("ported programs print what CPython prints", () => {
  test("a producer/consumer queue", () => {
    const r = both("producer_consumer", `
import asyncio

async def producer(q, n):
    for i in range(n):
        await q.put(i)
        print(f"put {i}")
    await q.put(None)

async def consumer(q, results):
    while True:
        item = await q.get()
        if item is None:
            break
        results.append(item * item)
        print("got", item, "queue size", q.qsize())

async def main():
    q = asyncio.Queue(maxsize=2)
    results = []
    await asyncio.gather(producer(q, 5), consumer(q, results))
    print(results, sum(results), sorted(results, reverse=True)[:2])
    print({"a": 1, "b": [1, 2]}, (1,), None, True, b"x\\n")

asyncio.run(main())
`);
    expect(r.cpython).toContain("got 4 queue size 1\n[0, 1, 4, 9, 16] 30 [16, 9]\n{'a': 1, 'b': [1, 2]} (1,) None True b'x\\n'\n");
    expect(r.tulip).toBe(r.cpython);
  });

  test("timeouts, cancellation and exception groups", () => {
    const r = both("errors", `
import asyncio

async def slow(n):
    try:
        await asyncio.sleep(n)
    except asyncio.CancelledError:
        print("cancelled", n)
        raise

async def fail(msg):
    await asyncio.sleep(0)
    raise ValueError(msg)

async def main():
    try:
        await asyncio.wait_for(slow(1), timeout=0.01)
    except TimeoutError as e:
        print("timed out:", type(e).__name__)
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail("a"))
            tg.create_task(slow(5))
    except* ValueError as eg:
        print("group:", [str(e) for e in eg.exceptions])
    d = {}
    try:
        d["missing"]
    except KeyError as e:
        print("KeyError", e, repr(e))
    else:
        print("not reached")
    finally:
        print("finally")

asyncio.run(main())
`);
    expect(r.cpython).toContain("group: ['a']\nKeyError 'missing' KeyError('missing')\nfinally\n");
    expect(r.tulip).toBe(r.cpython);
  });
});

describe("threads, executors, async comprehensions, gc, loops run from plain defs", () => {
  test("concurrent.futures imports map to tulip/concurrent, from-imported classes get new", () => {
    const out = ts("cf_imports", [
      "import concurrent.futures",
      "import concurrent.futures as cf",
      "from concurrent import futures",
      "from concurrent.futures import ThreadPoolExecutor, wait, FIRST_COMPLETED",
      "from asyncio import Queue",
      "q = Queue(maxsize=2)",
      "a = concurrent.futures.ThreadPoolExecutor(max_workers=2)",
      "b = cf.ProcessPoolExecutor(1)",
      "c = futures.ThreadPoolExecutor(thread_name_prefix='w')",
      "with ThreadPoolExecutor(max_workers=1) as ex:",
      "    f = ex.submit(print, 'x')",
      "    wait([f], timeout=1, return_when=FIRST_COMPLETED)",
      "    print(f.result(timeout=1))",
      "a.shutdown(wait=True, cancel_futures=True)",
    ].join("\n"));
    expect(out).toContain('import * as concurrent_futures from "tulip/concurrent";');
    expect(out).toContain('import * as cf from "tulip/concurrent";');
    expect(out).toContain('import * as futures from "tulip/concurrent";');
    expect(out).toContain('import { FIRST_COMPLETED, ThreadPoolExecutor, wait } from "tulip/concurrent";');
    expect(out).toContain("new Queue<any>(2)");
    expect(out).toContain("new concurrent_futures.ThreadPoolExecutor(2)");
    expect(out).toContain("new cf.ProcessPoolExecutor(1)");
    expect(out).toContain('new futures.ThreadPoolExecutor({ thread_name_prefix: "w" })');
    expect(out).toContain("with_(new ThreadPoolExecutor(1), (ex) => {");
    expect(out).toContain("wait([f], { timeout: 1, return_when: FIRST_COMPLETED });");
    expect(out).toContain("f.result(1)");
    expect(out).toContain("a.shutdown({ wait: true, cancel_futures: true });");
  });

  test("a top-level def given to to_thread/run_in_executor/submit is exported threadable, the entry guarded; it runs in a worker thread", () => {
    const src = `
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

LIMIT = 3

def square(x):
    return x * x + helper(x)

def helper(x):
    return LIMIT - x

def fail(msg):
    raise ValueError(msg)

async def main():
    loop = asyncio.get_running_loop()
    print(await asyncio.to_thread(square, 2))
    await asyncio.to_thread(time.sleep, 0.01)
    with ThreadPoolExecutor(max_workers=1) as ex:
        print(await loop.run_in_executor(ex, square, 3), ex.submit(square, 4).result())
        print(list(ex.map(square, [1, 2])))
    try:
        await asyncio.to_thread(fail, "boom")
    except ValueError as e:
        print("ValueError", e)
    fs = [asyncio.wrap_future(ex2.submit(square, i)) for i in range(3)] if (ex2 := ThreadPoolExecutor(2)) else []
    print(await asyncio.gather(*fs))
    ex2.shutdown()

asyncio.run(main())
`;
    const out = ts("threads_ported", src);
    expect(out).toContain('import { ThreadPoolExecutor, isMainModule, threadable } from "tulip/concurrent";');
    expect(out).toContain("export const square = threadable(import.meta.url, function square(x: any) {");
    expect(out).toContain("export const fail = threadable(import.meta.url, function fail(msg: any) {");
    expect(out).toContain("function helper(x: any) {"); // run by square in the worker, found there by its import
    expect(out).toContain("if (isMainModule(import.meta)) await asyncio.run(main());");
    const r = both("threads_ported", src);
    expect(r.cpython).toBe("5\n9 15\n[3, 5]\nValueError boom\n[3, 3, 5]\n");
    expect(r.tulip).toBe(r.cpython);
  }, 30_000);

  test("what a worker thread cannot run faithfully stops the port", () => {
    const head = "import asyncio\n";
    expect(port("thr_lambda", head + "async def main():\n    await asyncio.to_thread(lambda: 1)\n").error)
      .toMatch(/thr_lambda\.py:3:29: cannot port to_thread\(\) of lambda: 1: .*a lambda has none/);
    expect(port("thr_nested", head + "async def main():\n    def f():\n        pass\n    await asyncio.to_thread(f)\n").error)
      .toMatch(/cannot port to_thread\(\) of f: .*a nested function has none/);
    expect(port("thr_state", head + "seen = []\ndef f():\n    seen.append(1)\nasync def main():\n    await asyncio.to_thread(f)\n").error)
      .toMatch(/thr_state\.py:4:5: cannot port the module variable seen in f, which runs in a worker thread: /);
    expect(port("thr_global", head + "n = 0\ndef f():\n    global n\n    n += 1\nasync def main():\n    await asyncio.to_thread(f)\n").error)
      .toMatch(/cannot port `global` in f, which runs in a worker thread/);
    expect(port("thr_top", head + "def f():\n    pass\nasync def main():\n    await asyncio.to_thread(f)\nfor i in range(2):\n    asyncio.run(main())\n").error)
      .toMatch(/thr_top\.py:6:1: cannot port this top-level statement in a program that runs f in a worker thread: .*if __name__ == "__main__":/);
  });

  test("async comprehensions and await in comprehensions", () => {
    const src = `
import asyncio

async def agen(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i

async def double(x):
    await asyncio.sleep(0)
    return x * 2

async def main():
    print([x async for x in agen(4)])
    print([x * y async for x in agen(3) if x for y in range(2)])
    print({x: await double(x) for x in range(3)})
    print({await double(x) async for x in agen(3) if x % 2 == 0})
    print([await double(x) for x in [1, 2]])
    g = (x + 1 async for x in agen(2))
    print([v async for v in g], await anext(agen(1)))
    it = agen(2)
    print(await it.__anext__())
    await it.aclose()

asyncio.run(main())
`;
    const out = ts("async_comp", src);
    expect(out).toContain("(await (async () => { const $c: any[] = []; for await (const x of aiter(agen(4))) $c.push(x); return $c; })())");
    expect(out).toContain("(async function* () { for await (const x of aiter(agen(2))) yield x + 1; })()");
    expect(out).toContain("await anext(it)");
    expect(out).toContain("await aclose(it);");
    const r = both("async_comp", src);
    expect(r.cpython).toBe("[0, 1, 2, 3]\n[0, 1, 0, 2]\n{0: 0, 1: 2, 2: 4}\n{0, 4}\n[2, 4]\n[1, 2] 0\n0\n");
    expect(r.tulip).toBe(r.cpython);
  }, 30_000);

  test("import gc, del of a name read no more, lambda defaults evaluated where the lambda is made", () => {
    const src = `
import gc
fs = []
for i in range(3):
    fs.append(lambda x, i=i: x + i)
print([f(10) for f in fs])
big = [1, 2]
print(len(big))
del big
print(gc.collect() >= 0)
`;
    const out = ts("gc_del", src);
    expect(out).toContain('import { add, gc, len, print, range } from "tulip/py";');
    expect(out).toContain("fs.push((($d: any) => (x: any, i: any = $d) => add(x, i))(i));");
    expect(out).toContain("big = undefined as any;");
    const r = both("gc_del", src);
    expect(r.cpython).toBe("[10, 11, 12]\n2\nTrue\n");
    expect(r.tulip).toBe(r.cpython);
    expect(port("del_read", "x = 1\ndel x\nprint(x)\n").error).toMatch(/del_read\.py:2:5: cannot port del of a name: .*read again/);
  });

  test("plain defs that run the loop become async and are awaited, through callable parameters too", () => {
    const src = `
import asyncio

async def work():
    await asyncio.sleep(0)
    return 42

def run_twice(loop):
    return [loop.run_until_complete(work()), loop.run_until_complete(work())]

def attempt(label, call):
    try:
        print(label, call())
    except RuntimeError as e:
        print(label, "->", e)

loop = asyncio.new_event_loop()
print(run_twice(loop))
attempt("sync", lambda: "plain value")
attempt("run", lambda: loop.run_until_complete(work()))
runner = asyncio.Runner()
print(runner.run(work()))
runner.close()
loop.close()
coro = work()
attempt("closed", lambda: loop.run_until_complete(coro))
attempt("forever", loop.run_forever)
print(asyncio.run(coro))
`;
    const out = ts("blocking_defs", src);
    expect(out).toContain("async function run_twice(loop: any) {");
    expect(out).toContain("async function attempt(label: any, call: any) {");
    expect(out).toContain('print(label, (await call()));');
    expect(out).toContain('await attempt("run", async () => await loop.run_until_complete(work()));');
    expect(out).toContain('await attempt("forever", loop.run_forever.bind(loop));');
    expect(out).toContain("await runner.close();");
    const r = both("blocking_defs", src);
    expect(r.cpython).toBe("[42, 42]\nsync plain value\nrun 42\n42\nclosed -> Event loop is closed\nforever -> Event loop is closed\n42\n");
    expect(r.tulip).toBe(r.cpython);
  }, 30_000);
});

describe("constructs the well-known programs needed", () => {
  test("f-string line ends stay escapes, attributes unpacked into, a method of this file bound where passed, *args before keyword-only parameters", () => {
    const src = `
class Pair:
    def set(self, a, b):
        self.a, self.b = a, b
        return self

    def show(self):
        return f"{self.a}\\r\\n{self.b}\\t!"

def call(f):
    return f()

def run(*cmd, check=False, sep=" "):
    return sep.join(cmd) + (" checked" if check else "")

p = Pair().set(1, 2)
print(repr(call(p.show)))
print(run("a", "b"), run("c", check=True), run(*["d", "e"], sep="-"), run())
`;
    const out = ts("constructs_public", src);
    expect(out).toContain("[this.a, this.b] = tuple_(a, b);");
    expect(out).toContain("return `${str(this.a)}\\r\\n${str(this.b)}\\t!`;");
    expect(out).toContain("call(p.show.bind(p))");
    expect(out).toContain("function run(cmd: any[], check: any = false, sep: any = \" \") {");
    expect(out).toContain('run(["a", "b"]), run(["c"], true), run([...["d", "e"]], undefined, "-"), run([])');
    const r = both("constructs_public", src);
    expect(r.cpython).toBe("'1\\r\\n2\\t!'\na b c checked d-e \n");
    expect(r.tulip).toBe(r.cpython);
    expect(port("varargs_value", "def f(*a, k=1):\n    pass\ng = f\n").error).toMatch(/varargs_value\.py:3:5: cannot port f as a value: /);
    const prop = ts("property_value", "class A:\n    @property\n    def v(self):\n        return 1\n    def get(self):\n        return 2\na = A()\nprint(a.v, str(a.get))\n");
    expect(prop).toContain("print(a.v, str(a.get.bind(a)));"); // a property is read, not bound
  });
});

describe("well-known asyncio programs (spec/public/), ported with no manual edit, print what CPython prints", () => {
  const publicDir = join(root, "spec", "public");
  for (const file of readdirSync(publicDir).filter((f) => f.endsWith(".py")).sort()) {
    test(file, () => {
      const r = both(`public_${file.replace(/\.py$/, "")}`, readFileSync(join(publicDir, file), "utf8"));
      expect(r.cpython).not.toBe("");
      expect(r.tulip).toBe(r.cpython);
    }, 40_000);
  }
});

describe("tulip/py", () => {
  test("repr and str as CPython shows values", () => {
    expect(py.repr([1, "a", null, true, py.tuple_(1), py.tuple_(), new Set(), py.dict([["k", 1.5]])]))
      .toBe("[1, 'a', None, True, (1,), (), set(), {'k': 1.5}]");
    expect(py.repr("it's")).toBe(`"it's"`);
    expect(py.repr(Buffer.from("a'\n\x00"))).toBe(`b"a'\\n\\x00"`);
    expect(py.str(new py.ZeroDivisionError("division by zero"))).toBe("division by zero");
    expect(py.repr(1e-7)).toBe("1e-07");
  });

  test("truth, equality, membership, subscripts", () => {
    expect([py.bool([]), py.bool(new Map()), py.bool(""), py.bool([0]), py.bool(null)]).toEqual([false, false, false, true, false]);
    expect(py.eq([1, [2]], [1, [2]])).toBe(true);
    expect(py.eq(py.tuple_(1), [1])).toBe(false);
    expect(py.contains(py.dict([["a", 1]]), "a")).toBe(true);
    expect(() => py.getitem(py.dict(), "k")).toThrow("'k'");
    expect(() => py.getitem([1], 5)).toThrow("list index out of range");
    expect(py.slice("hello", null, null, -1)).toBe("olleh");
    expect(py.sorted([10, 9, 1])).toEqual([1, 9, 10]);
    expect(py.format(3.14159, ".2f")).toBe("3.14");
    expect(py.format("x", ">3")).toBe("  x");
    expect(py.percent("%s=%d", py.tuple_("a", 1))).toBe("a=1");
    expect(py.round(2.5)).toBe(2);
  });
});

describe("the command", () => {
  test("tulip port FILE -o -, DIR -o DIR, and --check", () => {
    const src = join(dir, "tree");
    rmSync(src, { recursive: true, force: true });
    mkdirSync(join(src, "sub"), { recursive: true });
    writeFileSync(join(src, "a.py"), "import asyncio\nasync def main():\n    print('a', [1, 2])\nasyncio.run(main())\n");
    writeFileSync(join(src, "sub", "b.py"), "print('b', None)\n");
    const cli = join(root, "dist", "cli.js");
    const one = spawnSync(process.execPath, [cli, "port", join(src, "a.py"), "-o", "-"], { encoding: "utf8" });
    expect(one.status).toBe(0);
    expect(one.stdout).toContain("await asyncio.run(main());");
    const out = join(dir, "tree-ts");
    const tree = spawnSync(process.execPath, [cli, "port", src, "-o", out, "--check"], { encoding: "utf8", cwd: root });
    expect(tree.stderr).toContain("2 of 2 file(s) ported");
    expect(tree.stdout).toContain("2 of 2 port(s) print what CPython prints");
    expect(tree.status).toBe(0);
    expect(readFileSync(join(out, "sub", "b.ts"), "utf8")).toContain('print("b", null);');
    writeFileSync(join(src, "c.py"), "match 1:\n    case _:\n        pass\n");
    const bad = spawnSync(process.execPath, [cli, "port", join(src, "c.py")], { encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("c.py:1:1: cannot port match statement");
  }, 60_000);

  test("a 1,000-line file ports in under 2 s", () => {
    const chunk = (i: number) => `
async def worker_${i}(q, results, name="w${i}"):
    """Worker ${i}."""
    while not q.empty():
        item = q.get_nowait()
        try:
            await asyncio.sleep(0)
            results.append(f"{name}: {item * 2}")
        except (ValueError, KeyError) as e:
            raise RuntimeError(str(e)) from e
        finally:
            q.task_done()
    return {k: v for k, v in enumerate(results) if k % 2 == 0}
`;
    const lines = ["import asyncio"];
    for (let i = 0; lines.join("\n").split("\n").length < 1000; i++) lines.push(chunk(i));
    const source = lines.join("\n");
    expect(source.split("\n").length).toBeGreaterThanOrEqual(1000);
    const t0 = performance.now();
    const r = port("big", source);
    const seconds = (performance.now() - t0) / 1000;
    expect(r.error).toBeUndefined();
    expect(seconds).toBeLessThan(2);
  });
});

test("every spec/programs/*.py ports but those listed as not porting (ERROR in the expectations), as every spec/public/*.py does, and the ports compile with tsc --strict", () => {
  const out = join(root, "build", "ported-ts");
  rmSync(out, { recursive: true, force: true });
  const cli = join(root, "dist", "cli.js");
  const expectations = JSON.parse(readFileSync(join(root, "spec", "expectations", "programs.json"), "utf8")) as { entries?: { ids: string[]; status: string }[] };
  const entries = (expectations.entries ?? Object.values(expectations).find(Array.isArray) ?? []) as { ids: string[]; status: string }[];
  const unportable = entries.filter((e) => e.status === "ERROR").flatMap((e) => e.ids)
    .filter((id) => id.endsWith(":ported")).map((id) => id.slice(0, -":ported".length));
  const total = readdirSync(join(root, "spec", "programs")).filter((f) => f.endsWith(".py")).length;
  const r = spawnSync(process.execPath, [cli, "port", join(root, "spec", "programs"), "-o", out], { encoding: "utf8" });
  expect(r.stderr).toContain(`${total - unportable.length} of ${total} file(s) ported`);
  for (const name of unportable) expect(r.stderr).toContain(`${name}.py:`);
  const pub = spawnSync(process.execPath, [cli, "port", join(root, "spec", "public"), "-o", join(out, "public")], { encoding: "utf8" });
  expect(pub.status).toBe(0); // the well-known programs port too, and are type-checked with the rest
  writeFileSync(join(out, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      target: "ES2022", lib: ["ES2022", "ESNext.Disposable"], module: "NodeNext", moduleResolution: "NodeNext",
      strict: true, noEmit: true, skipLibCheck: true, types: ["node"],
    },
    include: ["*.ts", "public/*.ts"],
  }));
  const tsc = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", out], { encoding: "utf8" });
  expect(tsc.stdout + tsc.stderr).toBe("");
  expect(tsc.status).toBe(0);
}, 180_000);
