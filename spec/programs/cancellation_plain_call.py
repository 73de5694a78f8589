"""task.cancel() on a task made from a plain call: the body sees CancelledError at its await."""
import asyncio


async def body():
    print("body starts")
    try:
        await asyncio.sleep(1)
        print("body slept to the end")
    except asyncio.CancelledError:
        print("body sees CancelledError")
        raise
    finally:
        print("body's finally runs")
    print("code after the sleep runs")


async def main():
    task = asyncio.create_task(body())
    await asyncio.sleep(0.01)
    print("cancel() says", "requested" if task.cancel() else "too late")
    try:
        await task
    except asyncio.CancelledError:
        print("main: awaiting the task raised CancelledError")
    print("task is", "cancelled" if task.cancelled() else "not cancelled")


asyncio.run(main())
