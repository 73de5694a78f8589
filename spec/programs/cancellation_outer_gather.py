"""Cancelling gather's outer future cancels the children that are still running."""
import asyncio


async def child(name, delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise
    print(name, "done")
    return name


async def main():
    outer = asyncio.gather(child("a", 0.01), child("b", 1), child("c", 1))
    await asyncio.sleep(0.1)
    print("cancelling the gather")
    outer.cancel()
    try:
        await outer
    except asyncio.CancelledError:
        print("main: the gather raised CancelledError")
    print("outer is", "cancelled" if outer.cancelled() else "not cancelled")


asyncio.run(main())
