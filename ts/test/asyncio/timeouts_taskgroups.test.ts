// timeout()/timeout_at()/Timeout and TaskGroup, in all three context-manager forms, against CPython.
import * as asyncio from "../../asyncio/index.js";
import { fmt, g, pyrun, trace } from "../helpers/trace.js";

const { coroutine, asyncWith } = asyncio;

test("timeout: expiry becomes TimeoutError, nested timeouts, reschedule, expired(), repr", async () => {
  const got = await trace(async (out, loop) => {
    try {
      await asyncWith(asyncio.timeout(0.5), async (cm) => {
        out.push(`entered ${cm}`);
        await asyncio.sleep(1);
      });
    } catch (e) { out.push(`outer ${fmt(e)} t=${g(loop.time())}`); }
    // nested: the inner (shorter) one fires; the outer sees nothing
    await asyncWith(asyncio.timeout(2), async (outer) => {
      try {
        await asyncWith(asyncio.timeout(0.1), async () => { await asyncio.sleep(1); });
      } catch (e) { out.push(`inner ${fmt(e)}`); }
      out.push(`outer expired=${outer.expired()}`);
    });
    // nested: the outer fires first; the inner re-raises CancelledError, the outer converts it
    try {
      await asyncWith(asyncio.timeout(0.1), async () => {
        await asyncWith(asyncio.timeout(5), async () => { await asyncio.sleep(1); });
      });
    } catch (e) { out.push(`outer-first ${fmt(e)} t=${g(loop.time())}`); }
    // reschedule, and the __aenter__/__aexit__ form by hand
    const cm = asyncio.timeout(null);
    await cm.__aenter__();
    cm.reschedule(loop.time() + 0.2);
    let exc: unknown = null;
    try { await asyncio.sleep(1); } catch (e) { exc = e; }
    try { await cm.__aexit__(exc === null ? null : (exc as object).constructor, exc, null); } catch (e) { out.push(`manual ${fmt(e)} expired=${cm.expired()}`); }
    try { cm.reschedule(1); } catch (e) { out.push(fmt(e)); }
    try { asyncio.timeout(1).reschedule(1); } catch (e) { out.push(fmt(e)); }
    // await using: exits with no exception information
    {
      await using t = await asyncio.asyncEnter(asyncio.timeout(10));
      await asyncio.sleep(0.1);
      out.push(`using ${t.value.expired()}`);
    }
    out.push(`${asyncio.timeout_at(null)}`);
  });
  expect(got).toEqual(pyrun(`
    async def main():
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(0.5) as cm:
                print(f"entered {cm!r}")
                await asyncio.sleep(1)
        except BaseException as e: print(f"outer {fmt(e)} t={loop.time():g}")
        async with asyncio.timeout(2) as outer:
            try:
                async with asyncio.timeout(0.1):
                    await asyncio.sleep(1)
            except BaseException as e: print(f"inner {fmt(e)}")
            print(f"outer expired={str(outer.expired()).lower()}")
        try:
            async with asyncio.timeout(0.1):
                async with asyncio.timeout(5):
                    await asyncio.sleep(1)
        except BaseException as e: print(f"outer-first {fmt(e)} t={loop.time():g}")
        cm = asyncio.timeout(None)
        await cm.__aenter__()
        cm.reschedule(loop.time() + 0.2)
        exc = None
        try: await asyncio.sleep(1)
        except BaseException as e: exc = e
        try: await cm.__aexit__(type(exc) if exc else None, exc, None)
        except BaseException as e: print(f"manual {fmt(e)} expired={str(cm.expired()).lower()}")
        try: cm.reschedule(1)
        except BaseException as e: print(fmt(e))
        try: asyncio.timeout(1).reschedule(1)
        except BaseException as e: print(fmt(e))
        async with asyncio.timeout(10) as t:
            await asyncio.sleep(0.1)
            print(f"using {str(t.expired()).lower()}")
        print(repr(asyncio.timeout_at(None)))
    run(main)
  `));
});

test("TaskGroup: children run, one failure cancels the rest, errors gathered in an ExceptionGroup, nested groups", async () => {
  const got = await trace(async (out, loop) => {
    const child = coroutine(async function child(name: string, d: number, fail = false) {
      try {
        await asyncio.sleep(d);
        if (fail) throw new asyncio.ValueError(`${name} failed`);
        out.push(`${name} done t=${g(loop.time())}`);
        return name;
      } catch (e) {
        if (e instanceof asyncio.CancelledError) out.push(`${name} cancelled`);
        throw e;
      }
    });
    await asyncWith(new asyncio.TaskGroup(), async (tg) => {
      tg.create_task(child("a", 0.2));
      tg.create_task(child("b", 0.1));
      out.push("body done");
    });
    out.push(`after group t=${g(loop.time())}`);
    try {
      await asyncWith(new asyncio.TaskGroup(), async (tg) => {
        tg.create_task(child("c", 1));
        tg.create_task(child("d", 0.1, true));
        tg.create_task(child("e", 0.1, true));
        await asyncio.sleep(5);
        out.push("unreachable");
      });
    } catch (e) {
      const eg = e as asyncio.ExceptionGroup;
      out.push(`${eg} message='${eg.message}' [${eg.exceptions.map(fmt).join("; ")}] t=${g(loop.time())}`);
    }
    try {
      await asyncWith(new asyncio.TaskGroup(), async (outer) => {
        outer.create_task(child("f", 1));
        await asyncWith(new asyncio.TaskGroup(), async (inner) => {
          inner.create_task(child("g", 0.1, true));
        });
      });
    } catch (e) {
      const eg = e as asyncio.ExceptionGroup;
      out.push(`nested ${eg.__str__()}: ${eg.exceptions.map((x) => x instanceof asyncio.ExceptionGroup ? `[${x.exceptions.map(fmt)}]` : fmt(x)).join(", ")}`);
    }
    const tg = new asyncio.TaskGroup();
    try { tg.create_task(child("h", 0)); } catch (e) { out.push(fmt(e)); }
    // the body itself raising
    try {
      await asyncWith(new asyncio.TaskGroup(), async (tg2) => {
        tg2.create_task(child("i", 1));
        await asyncio.sleep(0.1);
        throw new asyncio.KeyError("body");
      });
    } catch (e) { out.push(`body raised ${(e as asyncio.ExceptionGroup).exceptions.map(fmt)}`); }
  });
  expect(got).toEqual(pyrun(`
    async def main():
        loop = asyncio.get_running_loop()
        async def child(name, d, fail=False):
            try:
                await asyncio.sleep(d)
                if fail: raise ValueError(f"{name} failed")
                print(f"{name} done t={loop.time():g}")
                return name
            except asyncio.CancelledError:
                print(f"{name} cancelled"); raise
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("a", 0.2))
            tg.create_task(child("b", 0.1))
            print("body done")
        print(f"after group t={loop.time():g}")
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child("c", 1))
                tg.create_task(child("d", 0.1, True))
                tg.create_task(child("e", 0.1, True))
                await asyncio.sleep(5)
                print("unreachable")
        except BaseException as eg:
            print(f"{type(eg).__name__}: {eg} message='{eg.message}' [{'; '.join(fmt(x) for x in eg.exceptions)}] t={loop.time():g}")
        try:
            async with asyncio.TaskGroup() as outer:
                outer.create_task(child("f", 1))
                async with asyncio.TaskGroup() as inner:
                    inner.create_task(child("g", 0.1, True))
        except BaseException as eg:
            print(f"nested {eg}: " + ", ".join(("[" + ",".join(fmt(y) for y in x.exceptions) + "]") if isinstance(x, BaseExceptionGroup) else fmt(x) for x in eg.exceptions))
        tg = asyncio.TaskGroup()
        try: tg.create_task(child("h", 0))
        except BaseException as e: print(fmt(e))
        try:
            async with asyncio.TaskGroup() as tg2:
                tg2.create_task(child("i", 1))
                await asyncio.sleep(0.1)
                raise KeyError("body")
        except BaseException as eg: print(f"body raised {','.join(fmt(x) for x in eg.exceptions)}")
    run(main)
  `));
});
