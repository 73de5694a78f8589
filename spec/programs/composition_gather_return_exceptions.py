"""gather(return_exceptions=True) puts exceptions in the results instead of raising."""
import asyncio


async def ok(value):
    await asyncio.sleep(0)
    return value


async def bad(message):
    await asyncio.sleep(0)
    raise ValueError(message)


async def cancelled_child():
    await asyncio.sleep(0)
    raise asyncio.CancelledError()


async def main():
    results = await asyncio.gather(ok(1), bad("two"), ok(3), cancelled_child(), return_exceptions=True)
    for r in results:
        if isinstance(r, BaseException):
            print("exception", type(r).__name__, str(r))
        else:
            print("value", r)


asyncio.run(main())
