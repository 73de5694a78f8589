"""Nested timeouts: the inner one fires first and only it reports expired; the outer goes on."""
import asyncio


async def main():
    async with asyncio.timeout(1) as outer:
        try:
            async with asyncio.timeout(0.02) as inner:
                await asyncio.sleep(1)
        except TimeoutError:
            print("inner timed out")
        print("inner expired:", inner.expired(), "outer expired:", outer.expired())
        await asyncio.sleep(0.01)
        print("still inside the outer block")
    try:
        async with asyncio.timeout(0.02) as outer:
            async with asyncio.timeout(1) as inner:
                await asyncio.sleep(1)
    except TimeoutError:
        print("outer timed out through the inner block")
    print("inner expired:", inner.expired(), "outer expired:", outer.expired())


asyncio.run(main())
