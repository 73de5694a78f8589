"""A child of gather is cancelled: the gather raises CancelledError, the others go on."""
import asyncio


async def child(name, delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise
    print(name, "finished")
    return name


async def main():
    first = asyncio.create_task(child("first", 1))
    second = asyncio.create_task(child("second", 0.03))
    outer = asyncio.gather(first, second)
    await asyncio.sleep(0.01)
    first.cancel()
    try:
        await outer
    except asyncio.CancelledError:
        print("gather raised CancelledError")
    print("second is", "done" if second.done() else "still running")
    print("second:", await second)


asyncio.run(main())
