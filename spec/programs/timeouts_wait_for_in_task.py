"""wait_for() in a task other than main: on timeout the inner coroutine is cancelled at its
await, not waited for, and the task goes on."""
import asyncio


async def inner():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("inner cancelled")
        raise
    print("inner ran to the end")
    return "late"


async def guarded():
    await asyncio.sleep(0.01)
    try:
        return await asyncio.wait_for(inner(), 0.05)
    except asyncio.TimeoutError:
        print("guarded: TimeoutError")
        return "timed out"


async def main():
    print("main got:", await asyncio.wait_for(guarded(), 5))


asyncio.run(main())
