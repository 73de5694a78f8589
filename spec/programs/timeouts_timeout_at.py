"""timeout_at() takes an absolute loop time; a deadline already past fires at the first await."""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout_at(loop.time() + 0.03):
            await asyncio.sleep(1)
    except TimeoutError:
        print("timeout_at fired")
    try:
        async with asyncio.timeout_at(loop.time() - 1):
            print("the block starts")
            await asyncio.sleep(0)
            print("not reached")
    except TimeoutError:
        print("a past deadline fired at the first await")


asyncio.run(main())
