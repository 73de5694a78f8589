"""A task's states: result() too early, done(), exception(), result() re-raising."""
import asyncio


async def fails():
    await asyncio.sleep(0)
    raise ValueError("bad value")


async def succeeds():
    await asyncio.sleep(0)
    return 7


async def main():
    bad = asyncio.create_task(fails())
    good = asyncio.create_task(succeeds())
    try:
        good.result()
    except asyncio.InvalidStateError as e:
        print("too early:", type(e).__name__, e)
    print("done before:", "yes" if good.done() else "no")
    await asyncio.wait([bad, good])
    print("done after:", "yes" if good.done() else "no")
    print("good result", good.result(), "exception", good.exception())
    exc = bad.exception()
    print("bad exception:", type(exc).__name__, exc)
    try:
        bad.result()
    except ValueError as e:
        print("result() raises", type(e).__name__, e, "(same object)" if e is exc else "(another object)")
    print("cancelled:", "yes" if bad.cancelled() else "no")


asyncio.run(main())
