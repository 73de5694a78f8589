// A closed event loop: what its futures and tasks do afterwards, compared with CPython 3.11.
import * as asyncio from "../../asyncio/index.js";
import { cpython, py } from "../helpers/cpython.js";
import { fmt } from "../helpers/trace.js";

const { coroutine } = asyncio;

function attempt(out: string[], label: string, f: () => unknown): void {
  try {
    out.push(`${label} ok ${f()}`);
  } catch (e) {
    out.push(`${label} ${fmt(e)}`);
  }
}

test("futures of a closed loop: scheduling a done callback raises 'Event loop is closed', the future is done all the same", () => {
  const loop = asyncio.new_event_loop();
  const early = loop.create_future<number>();
  early.add_done_callback(() => out.push("callback ran"));
  loop.close();
  const out: string[] = [];
  const plain = loop.create_future<number>();
  attempt(out, "set_result", () => plain.set_result(1));
  attempt(out, "add_done_callback on done", () => plain.add_done_callback(() => out.push("callback ran")));
  attempt(out, "set_result with callback", () => early.set_result(2));
  out.push(`early ${early.done()} ${early.result()} ${early.remove_done_callback(() => {})}`);
  const failing = loop.create_future();
  failing.add_done_callback(() => out.push("callback ran"));
  attempt(out, "set_exception with callback", () => failing.set_exception(new asyncio.ValueError("boom")));
  out.push(`failing ${failing.done()} ${fmt(failing.exception())}`);
  const dropped = loop.create_future();
  dropped.add_done_callback(() => out.push("callback ran"));
  dropped.add_done_callback(() => out.push("callback ran"));
  attempt(out, "cancel with callbacks", () => dropped.cancel());
  out.push(`dropped ${dropped.cancelled()} ${dropped.remove_done_callback(() => {})}`);
  expect(out).toEqual(cpython(py`
    import asyncio
    def attempt(label, f):
        try:
            r = f()
            print(label, "ok", "undefined" if r is None else str(r).lower())
        except BaseException as e:
            print(label, f"{type(e).__name__}: {e}")
    loop = asyncio.new_event_loop()
    early = loop.create_future()
    early.add_done_callback(lambda f: print("callback ran"))
    loop.close()
    plain = loop.create_future()
    attempt("set_result", lambda: plain.set_result(1))
    attempt("add_done_callback on done", lambda: plain.add_done_callback(lambda f: print("callback ran")))
    attempt("set_result with callback", lambda: early.set_result(2))
    print("early", str(early.done()).lower(), early.result(), early.remove_done_callback(print))
    failing = loop.create_future()
    failing.add_done_callback(lambda f: print("callback ran"))
    attempt("set_exception with callback", lambda: failing.set_exception(ValueError("boom")))
    print("failing", str(failing.done()).lower(), f"ValueError: {failing.exception()}")
    dropped = loop.create_future()
    dropped.add_done_callback(lambda f: print("callback ran"))
    dropped.add_done_callback(lambda f: print("callback ran"))
    attempt("cancel with callbacks", dropped.cancel)
    print("dropped", str(dropped.cancelled()).lower(), dropped.remove_done_callback(print))
  `));
});

test("a task its loop's close() left waiting: cancel() raises 'Event loop is closed' (its waiter's callback cannot be scheduled)", async () => {
  const loop = asyncio.new_event_loop();
  loop.set_exception_handler(() => {}); // its collection, later, is the next test's subject
  const out: string[] = [];
  const t = loop.create_task(coroutine(async function waiter() { await asyncio.sleep(10); })());
  await loop.run_until_complete(asyncio.sleep(0));
  loop.close();
  attempt(out, "cancel", () => t.cancel());
  out.push(`state ${t.done()} ${t.cancelling()}`);
  expect(out).toEqual(cpython(py`
    import asyncio
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(lambda l, ctx: None)
    async def waiter():
        await asyncio.sleep(10)
    t = loop.create_task(waiter())
    loop.run_until_complete(asyncio.sleep(0))
    loop.close()
    try:
        print("cancel ok", t.cancel())
    except RuntimeError as e:
        print(f"cancel RuntimeError: {e}")
    print("state", str(t.done()).lower(), t.cancelling())
  `));
});

test("tasks a closed loop left pending are reported when collected, as CPython's Task.__del__ does", async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  expect(gc).toBeDefined(); // npm test runs node with --expose-gc
  const loop = asyncio.new_event_loop();
  const seen: string[] = [];
  loop.set_exception_handler((l, ctx) => seen.push(`${ctx.message} closed=${l.is_closed()}`));
  await (() => {
    // One waiting on a timer, one whose first step close() dropped.
    loop.create_task(coroutine(async function waiter() { await asyncio.sleep(10); })());
    return loop.run_until_complete(asyncio.sleep(0));
  })();
  loop.create_task(coroutine(async function never_started() {})());
  loop.close();
  for (let i = 0; i < 20 && seen.length < 2; i++) {
    await new Promise((r) => setImmediate(r));
    gc!();
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(seen).toEqual(cpython(py`
    import asyncio, gc
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(lambda l, ctx: print(f"{ctx['message']} closed={str(l.is_closed()).lower()}"))
    async def waiter():
        await asyncio.sleep(10)
    async def never_started():
        pass
    loop.create_task(waiter())
    loop.run_until_complete(asyncio.sleep(0))
    loop.create_task(never_started())
    loop.close()
    gc.collect()
  `));
});

test("a plain async body that settles after its loop closed: its task is done, the callbacks it cannot schedule are dropped, nothing is thrown into Node", async () => {
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  process.on("unhandledRejection", onRejection);
  try {
    const loop = asyncio.new_event_loop();
    let release!: (v: string) => void;
    const outside = new Promise<string>((r) => (release = r));
    let task!: asyncio.Task<string>;
    await loop.run_until_complete(coroutine(async () => {
      // A raw async function, called here: its task adopts the running body.
      task = asyncio.create_task((async () => await outside)());
      task.add_done_callback(() => { throw new Error("a dropped callback ran"); });
      await asyncio.sleep(0);
    })());
    loop.close();
    release("late");
    await new Promise((r) => setTimeout(r, 20));
    expect(task.done()).toBe(true);
    expect(task.result()).toBe("late");
    expect(rejections).toEqual([]);
  } finally {
    process.off("unhandledRejection", onRejection);
  }
});
