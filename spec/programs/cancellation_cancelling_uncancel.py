"""cancelling() counts cancel requests; uncancel() takes one back so the task can go on."""
import asyncio


async def victim():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        task = asyncio.current_task()
        print("inside: cancelling() =", task.cancelling())
        print("inside: uncancel() =", task.uncancel())
    await asyncio.sleep(0)
    print("victim goes on")
    return "survived"


async def main():
    task = asyncio.create_task(victim())
    await asyncio.sleep(0)
    task.cancel()
    task.cancel()
    print("after two cancel(): cancelling() =", task.cancelling())
    result = await task
    print("result", result, "and the task is", "cancelled" if task.cancelled() else "not cancelled")
    print("main's own cancelling() =", asyncio.current_task().cancelling())


asyncio.run(main())
