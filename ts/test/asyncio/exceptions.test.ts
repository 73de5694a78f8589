import * as asyncio from "../../asyncio/index.js";
import {
  BaseExceptionGroup, CancelledError, Exception, ExceptionGroup, IncompleteReadError, KeyError, OSError, RuntimeError, ValueError,
  BaseException, _exc_str,
} from "../../asyncio/exceptions.js";
import { repr } from "../../asyncio/format_helpers.js";
import { cpython, py } from "../helpers/cpython.js";

test("names and messages read as CPython's", () => {
  const e = new RuntimeError("Event loop is closed");
  expect(`${e.name}: ${e.message}`).toBe("RuntimeError: Event loop is closed");
  expect(new CancelledError().message).toBe("");
  expect(new IncompleteReadError(new Uint8Array(3), 10).message).toBe("3 bytes read on a total of 10 expected bytes");
  expect(new OSError(98, "Address already in use").message).toBe("[Errno 98] Address already in use");
});

test("hierarchy: CancelledError is a BaseException, not an Exception", () => {
  expect(new CancelledError()).toBeInstanceOf(BaseException);
  expect(new CancelledError() instanceof Exception).toBe(false);
  expect(new Error("x") instanceof Exception).toBe(true);
  expect(new ValueError() instanceof RuntimeError).toBe(false);
});

test("ExceptionGroup split/subgroup keep the nesting", () => {
  const g = new ExceptionGroup("eg", [new ValueError("a"), new ExceptionGroup("inner", [new RuntimeError("b"), new ValueError("c")])]);
  expect(g.message).toBe("eg");
  expect(g.__str__()).toBe("eg (2 sub-exceptions)");
  const [m, r] = g.split(ValueError);
  expect(m!.exceptions.length).toBe(2);
  expect((m!.exceptions[1] as ExceptionGroup).exceptions.map((e) => (e as Error).message)).toEqual(["c"]);
  expect(r!.exceptions.length).toBe(1);
  expect(g instanceof Exception).toBe(true);
  expect(() => new ExceptionGroup("x", [])).toThrow(ValueError);
});

test("str(e), e.message, repr, String(e) and the traceback line read as CPython's: KeyError's str is its key's repr; a group's message is bare, its str adds the count", async () => {
  const out: string[] = [];
  const show = (e: Error) => {
    const s = _exc_str(e);
    // (Jest's stack formatter writes "KeyError: " for an empty message where V8 writes "KeyError".)
    const line = e.stack!.split("\n")[0].replace(/: $/, "");
    out.push(`${e.name} str=${repr(s)} message=${repr(e.message)} repr=${repr(e)} line=${line} String=${String(e)}`);
  };
  for (const e of [new KeyError("c"), new KeyError(), new KeyError("a", "b"), new KeyError(1), new KeyError("it's"), new KeyError(""),
    new KeyError(null), new ValueError("a", 1, null, true), new ValueError("it's", 'x"y')]) show(e);
  const records: string[] = [];
  const saved = asyncio.logger.handlers;
  asyncio.logger.handlers = [(r) => records.push(`${r.message.split("\n")[0]} | ${(r.exception as Error).stack!.split("\n")[0]}`)];
  try {
    const fail = asyncio.coroutine(async function fail(m: string) { throw new ValueError(m); });
    await asyncio.run(asyncio.coroutine(async function main() {
      try {
        await asyncio.asyncWith(new asyncio.TaskGroup(), async (tg) => { tg.create_task(fail("a")); tg.create_task(fail("b")); });
      } catch (eg) { show(eg as Error); }
      const one = new ExceptionGroup("one", [new KeyError("k")]);
      show(one);
      show(BaseExceptionGroup.create("b", [new CancelledError()]));
      const [m, r] = new ExceptionGroup("s", [new ValueError(1), new KeyError(2)]).split(ValueError);
      show(m!); show(r!);
      const loop = asyncio.get_running_loop();
      const f = loop.create_future(); f.set_exception(one); out.push(repr(f)); f.exception();
      loop.call_exception_handler({ message: "boom", exception: one });
      loop.call_exception_handler({ message: "boom", exception: new KeyError("c") });
      loop.call_soon(function cb() { throw new KeyError("k"); });
      await asyncio.sleep(0);
    })());
  } finally {
    asyncio.logger.handlers = saved;
  }
  expect([...out, ...records]).toEqual(cpython(py`
    import asyncio, logging, traceback
    out, records = [], []
    def show(e):
        s = str(e)
        message = e.message if isinstance(e, BaseExceptionGroup) else s
        name = type(e).__name__
        print(f"{name} str={s!r} message={message!r} repr={e!r} line={traceback.format_exception_only(e)[0].rstrip()} String={f'{name}: {s}' if s else name}")
    class H(logging.Handler):
        def emit(self, r): records.append(f"{r.getMessage().splitlines()[0]} | {traceback.format_exception_only(r.exc_info[1])[0].rstrip()}")
    logging.getLogger("asyncio").addHandler(H()); logging.getLogger("asyncio").propagate = False
    for e in [KeyError("c"), KeyError(), KeyError("a", "b"), KeyError(1), KeyError("it's"), KeyError(""),
              KeyError(None), ValueError("a", 1, None, True), ValueError("it's", 'x"y')]: show(e)
    async def fail(m): raise ValueError(m)
    async def main():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(fail("a")); tg.create_task(fail("b"))
        except BaseException as eg: show(eg)
        one = ExceptionGroup("one", [KeyError("k")])
        show(one)
        show(BaseExceptionGroup("b", [asyncio.CancelledError()]))
        m, r = ExceptionGroup("s", [ValueError(1), KeyError(2)]).split(ValueError)
        show(m); show(r)
        loop = asyncio.get_running_loop()
        f = loop.create_future(); f.set_exception(one); print(repr(f)); f.exception()
        loop.call_exception_handler({"message": "boom", "exception": one})
        loop.call_exception_handler({"message": "boom", "exception": KeyError("c")})
        def cb(): raise KeyError("k")
        loop.call_soon(cb)
        await asyncio.sleep(0)
    asyncio.run(main())
    for r in records: print(r)
  `).map((l) => l.replace(/main\.<locals>\.cb\(\) at \S+/, "cb()"))); // reprs show no "at file:line" (README)
});

test("add_note (PEP 678): __notes__ collects the notes, str(e) is unchanged, the stack shows them; a note must be a str", () => {
  const e = new asyncio.RuntimeError("boom");
  e.add_note("first");
  e.add_note("second");
  expect(e.__notes__).toEqual(["first", "second"]);
  expect(String(e)).toBe("RuntimeError: boom");
  expect(e.stack).toMatch(/\nfirst\nsecond$/);
  expect(() => e.add_note(3 as unknown as string)).toThrow("note must be a str, not 'number'");
});

test("a subclass is named by its own class with no boilerplate (type(e).__name__): name, String(e), the stack's first line, repr; instanceof and split() still see it", () => {
  class FetchError extends asyncio.Exception {}
  class NotFound extends FetchError {}
  class BadPort extends asyncio.ValueError {}
  const e = new FetchError("https://x: 503");
  expect(e.name).toBe("FetchError");
  expect(String(e)).toBe("FetchError: https://x: 503");
  expect(e.stack!.split("\n")[0]).toBe("FetchError: https://x: 503");
  expect(repr(e)).toBe("FetchError('https://x: 503')");
  expect(new NotFound("a").name).toBe("NotFound");
  expect(String(new BadPort())).toBe("BadPort");
  expect(e).toBeInstanceOf(asyncio.Exception);
  expect(e).toBeInstanceOf(asyncio.BaseException);
  expect(new NotFound() instanceof FetchError).toBe(true);
  expect(new BadPort() instanceof asyncio.ValueError).toBe(true);
  expect(new BadPort() instanceof asyncio.RuntimeError).toBe(false);
  // The built-ins keep Python's names; an instance may still be renamed (as gaierror is).
  expect(new asyncio.TimeoutError().name).toBe("TimeoutError");
  expect(new asyncio.CancelledError().name).toBe("CancelledError");
  const renamed = new asyncio.OSError("x");
  renamed.name = "gaierror";
  expect(String(renamed)).toBe("gaierror: x");
  expect(new asyncio.OSError("y").name).toBe("OSError");
  // except* FetchError: split() by the subclass, and by its base.
  const g = new ExceptionGroup("eg", [new NotFound("a"), new BadPort("b"), new FetchError("c")]);
  const [m, r] = g.split(FetchError);
  expect(m!.exceptions.map(String)).toEqual(["NotFound: a", "FetchError: c"]);
  expect(r!.exceptions.map(String)).toEqual(["BadPort: b"]);
  expect(g.split(asyncio.ValueError)[0]!.exceptions.map((x) => (x as Error).name)).toEqual(["BadPort"]);
  // A group subclass keeps its name through derive().
  class Failures extends ExceptionGroup {}
  const fg = new Failures("many", [new FetchError("a"), new BadPort("b")]);
  expect(String(fg)).toBe("Failures: many (2 sub-exceptions)");
  expect(fg.split(BadPort)[0]!.name).toBe("Failures");
});
