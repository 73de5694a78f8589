"""A task cancelled before its first step never runs its body."""
import asyncio


async def never():
    print("body ran")
    await asyncio.sleep(0)
    print("body finished")


async def main():
    task = asyncio.create_task(never())
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("cancelled before it started")
    print("task is", "cancelled" if task.cancelled() else "not cancelled")


asyncio.run(main())
