"""asyncio.run() inside a running loop is refused with RuntimeError; the outer run goes on."""
import asyncio


async def inner():
    return "never"


async def main():
    coro = inner()
    try:
        asyncio.run(coro)
    except RuntimeError as e:
        print(type(e).__name__, e)
    print("the coroutine can still be awaited:", await coro)


asyncio.run(main())
