"""wait_for() returns the result when it comes in time, and passes exceptions through."""
import asyncio


async def quick(value):
    await asyncio.sleep(0.01)
    return value


async def broken():
    await asyncio.sleep(0.01)
    raise KeyError("missing")


async def main():
    print("got", await asyncio.wait_for(quick(5), 1))
    print("got", await asyncio.wait_for(quick("no timeout"), None))
    try:
        await asyncio.wait_for(broken(), 1)
    except LookupError as e:
        print("passed through:", type(e).__name__)
    task = asyncio.create_task(quick("from a task"))
    print("got", await asyncio.wait_for(task, 1))


asyncio.run(main())
