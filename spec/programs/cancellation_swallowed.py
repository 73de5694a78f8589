"""A body that catches CancelledError and returns: the task ends with that result, not cancelled."""
import asyncio


async def stubborn():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("stubborn caught the cancellation")
        return "kept going"
    return "slept"


async def main():
    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    task.cancel()
    result = await task
    print("result:", result)
    print("task is", "cancelled" if task.cancelled() else "not cancelled", "and cancelling() =", task.cancelling())


asyncio.run(main())
