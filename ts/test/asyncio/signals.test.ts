// Signals: loop.add_signal_handler/remove_signal_handler and asyncio.run's SIGINT, by real
// signals sent to a child process — the same program on CPython 3.11 and on tulip, driven
// alike: the child prints a line starting "ready" once its handler is installed, and only then
// does the parent send the next signal (no sleeps). Compared: stdout and how the child ended.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as asyncio from "../../asyncio/index.js";
import * as signal from "../../signal.js";
import { cpython, py } from "../helpers/cpython.js";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ASYNCIO = pathToFileURL(join(dist, "asyncio", "index.js")).href;
const SIGNAL = pathToFileURL(join(dist, "signal.js")).href;
const tmp = mkdtempSync(join(tmpdir(), "tulip-signals-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Ended { lines: string[]; status: string; stderr: string }

/** Runs a child; each stdout line starting "ready" makes the parent send it the next signal (or signals, in order). */
function drive(cmd: string, args: string[], signals: (NodeJS.Signals | NodeJS.Signals[])[]): Promise<Ended> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    const queue = [...signals];
    const lines: string[] = [];
    let buf = "", stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      buf += d;
      for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        const sigs = line.startsWith("ready") ? queue.shift() : undefined;
        for (const sig of sigs === undefined ? [] : Array.isArray(sigs) ? sigs : [sigs]) child.kill(sig);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20000);
    child.on("close", (code, sig) => {
      clearTimeout(timer);
      resolve({ lines, status: sig !== null ? `killed by ${sig}` : `exit ${code}`, stderr });
    });
  });
}

let n = 0;
/** The tulip half: an ES module importing tulip as `asyncio` and `signal`. */
function node(source: string, signals: (NodeJS.Signals | NodeJS.Signals[])[]): Promise<Ended> {
  const file = join(tmp, `child${n++}.mjs`);
  writeFileSync(file, `import * as asyncio from ${JSON.stringify(ASYNCIO)};\nimport * as signal from ${JSON.stringify(SIGNAL)};\n${source}`);
  return drive(process.execPath, ["--no-warnings", file], signals);
}
function python(source: string, signals: (NodeJS.Signals | NodeJS.Signals[])[]): Promise<Ended> {
  return drive("python3", ["-u", "-c", source], signals);
}

async function both(pySource: string, tsSource: string, signals: (NodeJS.Signals | NodeJS.Signals[])[]): Promise<[Ended, Ended]> {
  return Promise.all([python(pySource, signals), node(tsSource, signals)]);
}
const seen = (e: Ended) => [...e.lines, `[${e.status}]`];

test("a handler runs as a loop callback in the context of add_signal_handler; replaced, removed, then the default action", async () => {
  const [ref, got] = await both(py`
    import asyncio, contextvars, signal
    v = contextvars.ContextVar("v")
    async def main():
        loop = asyncio.get_running_loop()
        def term():
            print("term handled, removed:", loop.remove_signal_handler(signal.SIGTERM))
            print("ready: SIGTERM has its default action again")
        def h2(arg):
            print("h2", arg, "v =", v.get())
            print("removed:", loop.remove_signal_handler(signal.SIGUSR1), loop.remove_signal_handler(signal.SIGUSR1))
            loop.add_signal_handler(signal.SIGTERM, term)
            print("ready: SIGTERM handled")
        def h1(arg, arg2):
            print("h1", arg, arg2, "v =", v.get())
            v.set("set in h1")
            loop.add_signal_handler(signal.SIGUSR1, h2, "b")
            loop.call_soon(print, "call_soon from h1")
            print("ready: SIGUSR1 replaced")
        v.set("at add")
        loop.add_signal_handler(signal.SIGUSR1, h1, "a", 1)
        v.set("after add")
        loop.call_soon(print, "main's call_soon")
        print("ready: SIGUSR1 handled")
        await loop.create_future()
    asyncio.run(main())
  `, `
    const v = new (await import(${JSON.stringify(pathToFileURL(join(dist, "contextvars.js")).href)})).ContextVar("v");
    await asyncio.run(asyncio.coroutine(async function main() {
      const loop = asyncio.get_running_loop();
      const term = () => {
        console.log("term handled, removed:", loop.remove_signal_handler(signal.SIGTERM) ? "True" : "False");
        console.log("ready: SIGTERM has its default action again");
      };
      const h2 = (arg) => {
        console.log("h2", arg, "v =", v.get());
        console.log("removed:", loop.remove_signal_handler(signal.SIGUSR1) ? "True" : "False", loop.remove_signal_handler("SIGUSR1") ? "True" : "False");
        loop.add_signal_handler(signal.SIGTERM, term);
        console.log("ready: SIGTERM handled");
      };
      const h1 = (arg, arg2) => {
        console.log("h1", arg, arg2, "v =", v.get());
        v.set("set in h1");
        loop.add_signal_handler("SIGUSR1", h2, "b");
        loop.call_soon(console.log, "call_soon from h1");
        console.log("ready: SIGUSR1 replaced");
      };
      v.set("at add");
      loop.add_signal_handler(signal.SIGUSR1, h1, "a", 1);
      v.set("after add");
      loop.call_soon(console.log, "main's call_soon");
      console.log("ready: SIGUSR1 handled");
      await loop.create_future();
    }));
  `, ["SIGUSR1", "SIGUSR1", "SIGTERM", "SIGTERM"]);
  expect(seen(got)).toEqual(seen(ref));
  expect(seen(got)).toContain("[killed by SIGTERM]");
  // While tulip handles SIGUSR1, Node's inspector does not start on it.
  expect(got.stderr).not.toMatch(/Debugger listening/);
});

test("asyncio.run: the first SIGINT cancels the main task, and KeyboardInterrupt surfaces to the caller", async () => {
  const [ref, got] = await both(py`
    import asyncio
    async def main():
        try:
            print("ready: main sleeps")
            await asyncio.sleep(100)
        except asyncio.CancelledError:
            print("main cancelled")
            raise
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("KeyboardInterrupt from asyncio.run")
  `, `
    try {
      await asyncio.run(asyncio.coroutine(async function main() {
        try {
          console.log("ready: main sleeps");
          await asyncio.sleep(100);
        } catch (e) {
          if (e instanceof asyncio.CancelledError) console.log("main cancelled");
          throw e;
        }
      }));
    } catch (e) {
      if (!(e instanceof asyncio.KeyboardInterrupt)) throw e;
      console.log("KeyboardInterrupt from asyncio.run");
    }
  `, ["SIGINT"]);
  expect(seen(got)).toEqual(seen(ref));
  expect(seen(got)).toEqual(["ready: main sleeps", "main cancelled", "KeyboardInterrupt from asyncio.run", "[exit 0]"]);
});

test("Runner: a second SIGINT, once the main task swallowed the first cancellation, raises KeyboardInterrupt", async () => {
  const [ref, got] = await both(py`
    import asyncio
    async def main():
        try:
            print("ready: first")
            await asyncio.sleep(100)
        except asyncio.CancelledError:
            print("first SIGINT: cancelled, carrying on")
        try:
            # From a callback: CPython runs a signal's handler between two bytecodes, so a
            # print in main's own step could see the KeyboardInterrupt raised in main itself.
            asyncio.get_running_loop().call_soon(print, "ready: second")
            await asyncio.sleep(100)
        finally:
            print("main's finally")
    with asyncio.Runner() as runner:
        try:
            runner.run(main())
        except KeyboardInterrupt:
            print("KeyboardInterrupt from run")
    print("runner closed")
  `, `
    const runner = new asyncio.Runner();
    try {
      await runner.run(asyncio.coroutine(async function main() {
        try {
          console.log("ready: first");
          await asyncio.sleep(100);
        } catch (e) {
          if (!(e instanceof asyncio.CancelledError)) throw e;
          console.log("first SIGINT: cancelled, carrying on");
        }
        try {
          asyncio.get_running_loop().call_soon(console.log, "ready: second");
          await asyncio.sleep(100);
        } finally {
          console.log("main's finally");
        }
      }));
    } catch (e) {
      if (!(e instanceof asyncio.KeyboardInterrupt)) throw e;
      console.log("KeyboardInterrupt from run");
    } finally {
      await runner.close();
    }
    console.log("runner closed");
  `, ["SIGINT", "SIGINT"]);
  expect(seen(got)).toEqual(seen(ref));
});

test("a program that handles SIGINT with add_signal_handler keeps it from the Runner; SIGTERM shuts down a server", async () => {
  const [ref, got] = await both(py`
    import asyncio, signal
    async def main():
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        loop.add_signal_handler(signal.SIGINT, lambda: (print("SIGINT handled by the program"), stop.set()))
        print("ready: waiting for SIGINT")
        await stop.wait()
        stop.clear()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        print("ready: serving")
        await stop.wait()
        server.close()
        await server.wait_closed()
        print("server closed")
        return "main returned"
    print(asyncio.run(main()))
  `, `
    console.log(await asyncio.run(asyncio.coroutine(async function main() {
      const loop = asyncio.get_running_loop();
      const stop = new asyncio.Event();
      loop.add_signal_handler(signal.SIGINT, () => { console.log("SIGINT handled by the program"); stop.set(); });
      console.log("ready: waiting for SIGINT");
      await stop.wait();
      stop.clear();
      loop.add_signal_handler(signal.SIGTERM, () => stop.set());
      const server = await asyncio.start_server(() => {}, "127.0.0.1", 0);
      console.log("ready: serving");
      await stop.wait();
      server.close();
      await server.wait_closed();
      console.log("server closed");
      return "main returned";
    })));
    console.log("SIGINT listeners left:", process.listenerCount("SIGINT"), "SIGTERM:", process.listenerCount("SIGTERM"));
  `, ["SIGINT", "SIGTERM"]);
  expect(seen(got)).toEqual([...seen(ref).slice(0, -1), "SIGINT listeners left: 0 SIGTERM: 0", "[exit 0]"]);
});

test("signal.signal: a handler called with the number, SIG_IGN keeps the default action away, SIG_DFL brings it back", async () => {
  const [ref, got] = await both(py`
    import asyncio, signal
    async def main():
        loop = asyncio.get_running_loop()
        got = loop.create_future()
        def on_hup(signum, frame):
            print("handler got", signal.Signals(signum).name)
            loop.call_soon_threadsafe(got.set_result, None)
        print("previous is SIG_DFL:", signal.signal(signal.SIGHUP, on_hup) == signal.SIG_DFL)
        print("ready: SIGHUP handled")
        await got
        print("previous is the handler:", signal.signal(signal.SIGHUP, signal.SIG_IGN) is on_hup)
        done = loop.create_future()
        loop.add_signal_handler(signal.SIGUSR2, done.set_result, None)
        print("ready: SIGHUP ignored")
        await done
        print("alive after the ignored SIGHUP; SIGUSR2 handled")
        print("previous is SIG_IGN:", signal.signal(signal.SIGHUP, signal.SIG_DFL) == signal.SIG_IGN)
        print("ready: SIGHUP has its default action")
        await loop.create_future()
    asyncio.run(main())
  `, `
    await asyncio.run(asyncio.coroutine(async function main() {
      const loop = asyncio.get_running_loop();
      const got = loop.create_future();
      const on_hup = (signum) => {
        console.log("handler got", signal.Signals[signum]);
        loop.call_soon_threadsafe(() => got.set_result(null));
      };
      console.log("previous is SIG_DFL:", signal.signal(signal.SIGHUP, on_hup) === signal.SIG_DFL ? "True" : "False");
      console.log("ready: SIGHUP handled");
      await got;
      console.log("previous is the handler:", signal.signal(signal.SIGHUP, signal.SIG_IGN) === on_hup ? "True" : "False");
      const done = loop.create_future();
      loop.add_signal_handler(signal.SIGUSR2, (v) => done.set_result(v), null);
      console.log("ready: SIGHUP ignored");
      await done;
      console.log("alive after the ignored SIGHUP; SIGUSR2 handled");
      console.log("previous is SIG_IGN:", signal.signal(signal.SIGHUP, signal.SIG_DFL) === signal.SIG_IGN ? "True" : "False");
      console.log("ready: SIGHUP has its default action");
      await loop.create_future();
    }));
  `, ["SIGHUP", ["SIGHUP", "SIGUSR2"], "SIGHUP"]);
  expect(seen(got)).toEqual(seen(ref));
  expect(seen(got)).toContain("[killed by SIGHUP]");
});

test("CPython's errors: uncatchable, invalid and non-int signals, coroutine callbacks", async () => {
  const out: string[] = [];
  const co = asyncio.coroutine(async function co() {});
  await asyncio.run(asyncio.coroutine(async function main() {
    const loop = asyncio.get_running_loop();
    const cases: unknown[][] = [[signal.SIGKILL, console.log], [signal.SIGSTOP, console.log], [0, console.log], [65, console.log],
      [-1, console.log], ["SIGFOO", console.log], [1.5, console.log], [signal.SIGTERM, co], [signal.SIGUSR2, 5], [32, console.log]];
    for (const args of cases) {
      try {
        (loop.add_signal_handler as (...a: unknown[]) => void)(...args);
        out.push("ok");
      } catch (e) {
        out.push(`${(e as Error).name}: ${(e as Error).message}`);
      }
    }
    for (const s of [0, "x", signal.SIGKILL, signal.SIGHUP, signal.SIGUSR2]) {
      try {
        out.push(`removed ${loop.remove_signal_handler(s as number) ? "True" : "False"}`);
      } catch (e) {
        out.push(`${(e as Error).name}: ${(e as Error).message}`);
      }
    }
  }));
  expect(out).toEqual(cpython(py`
    import asyncio, signal
    async def co(): pass
    async def main():
        loop = asyncio.get_running_loop()
        for args in [(signal.SIGKILL, print), (signal.SIGSTOP, print), (0, print), (65, print), (-1, print), ("SIGFOO", print), (1.5, print), (signal.SIGTERM, co), (signal.SIGUSR2, 5), (32, print)]:
            try:
                loop.add_signal_handler(*args)
                print("ok")
            except Exception as e:
                print(f"{type(e).__name__}: {e}")
        for s in [0, "x", signal.SIGKILL, signal.SIGHUP, signal.SIGUSR2]:
            try:
                print("removed", loop.remove_signal_handler(s))
            except Exception as e:
                print(f"{type(e).__name__}: {e}")
    asyncio.run(main())
  `));
});

test("what Node cannot do, and the listeners: one per signal, the loop's own removed at close, others left alone", async () => {
  const loop = asyncio.new_event_loop();
  const mine = () => {};
  process.on("SIGHUP", mine);
  try {
    expect(() => loop.add_signal_handler(signal.SIGRTMIN, () => {})).toThrow(asyncio.NotImplementedError);
    expect(loop.remove_signal_handler(signal.SIGRTMIN)).toBe(false);
    expect(signal.getsignal(signal.SIGHUP)).toBeNull(); // only a listener tulip did not add
    loop.add_signal_handler(signal.SIGHUP, () => {});
    loop.add_signal_handler("SIGHUP", () => {});
    loop.add_signal_handler(signal.SIGWINCH, () => {});
    expect(process.listenerCount("SIGHUP")).toBe(2);
    expect(process.listenerCount("SIGWINCH")).toBe(1);
    expect([...(loop as asyncio.NodeEventLoop)._signal_handlers.keys()]).toEqual([signal.SIGHUP, signal.SIGWINCH]);
    loop.close();
    expect(process.listenerCount("SIGHUP")).toBe(1);
    expect(process.listenerCount("SIGWINCH")).toBe(0);
    expect(() => loop.add_signal_handler(signal.SIGHUP, () => {})).toThrow("Event loop is closed");
  } finally {
    process.off("SIGHUP", mine);
    loop.close();
  }
  expect(signal.getsignal(signal.SIGHUP)).toBe(signal.SIG_DFL);
  expect(signal.Signals[15]).toBe("SIGTERM");
  expect(signal.SIGTERM).toBe(15);
  expect([...signal.valid_signals()]).toEqual(cpython("import signal; print(*sorted(map(int, signal.valid_signals())), sep='\\n')").map(Number));
});

test("the TSDoc examples of add_signal_handler and signal() run (in a child: they send themselves signals)", async () => {
  const src = join(dist, "..", "ts");
  const blocks = ["asyncio/node_events.ts", "signal.ts"].flatMap((f) =>
    [...readFileSync(join(src, f), "utf8").matchAll(/@example\s*\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```/g)]
      .map((m) => m[1].split("\n").map((l) => l.replace(/^\s*\* ?/, "")).filter((l) => !l.startsWith("import ")).join("\n")));
  expect(blocks.length).toBe(2);
  const body = blocks.map((b) => `await asyncio.run(asyncio.coroutine(async function example() {\n${b}\n}));`).join("\n");
  const ended = await node(`${body}\nconsole.log("examples ran");`, []);
  expect(seen(ended)).toEqual(["true", "examples ran", "[exit 0]"]);
});
