"""Spawned tasks interleave with call_soon and call_later(0) callbacks in loop order."""
import asyncio


async def spawned(name):
    print(f"{name} step 1")
    await asyncio.sleep(0)
    print(f"{name} step 2")


async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(print, "call_soon 1")
    t1 = asyncio.create_task(spawned("t1"))
    loop.call_later(0, print, "call_later 0")
    loop.call_soon(print, "call_soon 2")
    t2 = asyncio.create_task(spawned("t2"))
    print("main before its first await")
    await asyncio.sleep(0)
    print("main after sleep(0)")
    await t1
    await t2
    print("main done")


asyncio.run(main())
