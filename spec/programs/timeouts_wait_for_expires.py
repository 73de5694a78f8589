"""wait_for() times out at its deadline: the inner coroutine is cancelled, not waited for."""
import asyncio


async def inner():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("inner cancelled")
        raise
    print("inner ran to the end")
    return "late"


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        await asyncio.wait_for(inner(), 0.05)
    except asyncio.TimeoutError as e:
        elapsed = loop.time() - start
        print(type(e).__name__, "after", "less than 0.5 s" if elapsed < 0.5 else "more than 0.5 s")


asyncio.run(main())
