"""shield(): cancelling the waiter leaves the shielded task running to its result."""
import asyncio


async def inner():
    await asyncio.sleep(0.3)
    print("inner finished")
    return "inner result"


async def waiter(task):
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        print("waiter cancelled, inner is", "done" if task.done() else "still running")
        raise


async def main():
    task = asyncio.create_task(inner())
    w = asyncio.create_task(waiter(task))
    await asyncio.sleep(0.01)
    w.cancel()
    try:
        await w
    except asyncio.CancelledError:
        print("main: waiter raised CancelledError")
    print("main awaits inner:", await task)


asyncio.run(main())
