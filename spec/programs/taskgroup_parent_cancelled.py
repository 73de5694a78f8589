"""The task running a TaskGroup is cancelled: the children are cancelled, CancelledError (no group) leaves."""
import asyncio


async def child():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("child cancelled")
        raise


async def parent():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child())
            await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("parent sees CancelledError, not a group")
        raise


async def main():
    task = asyncio.create_task(parent())
    await asyncio.sleep(0.01)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("main: parent cancelled")


asyncio.run(main())
