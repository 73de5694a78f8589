"""async with timeout(): the block is cancelled at the deadline and TimeoutError leaves it."""
import asyncio


async def main():
    try:
        async with asyncio.timeout(0.05) as cm:
            print("deadline set:", "yes" if cm.when() is not None else "no")
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                print("the block sees CancelledError")
                raise
            print("not reached")
    except TimeoutError:
        print("TimeoutError outside the block; expired() =", cm.expired())
    async with asyncio.timeout(1) as quick:
        await asyncio.sleep(0.01)
    print("a quick block: expired() =", quick.expired())
    async with asyncio.timeout(None) as never:
        await asyncio.sleep(0)
    print("timeout(None): when() =", never.when())


asyncio.run(main())
