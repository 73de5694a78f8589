"""Cancelling a task that awaits a task that awaits a task cancels all three, innermost first."""
import asyncio


async def level(name, inner):
    try:
        if inner is None:
            await asyncio.sleep(1)
        else:
            await asyncio.create_task(inner, name=name + "'s child")
    except asyncio.CancelledError as e:
        print(name, "cancelled with message", repr(str(e)), "in", asyncio.current_task().get_name())
        raise
    print(name, "ran to the end")


async def main():
    task = asyncio.create_task(level("a", level("b", level("c", None))), name="outer")
    await asyncio.sleep(0.01)
    task.cancel("from main")
    try:
        await task
    except asyncio.CancelledError as e:
        print("main:", repr(str(e)))


asyncio.run(main())
