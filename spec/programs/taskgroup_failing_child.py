"""A failing child cancels its sibling; the group raises an ExceptionGroup of the failure."""
import asyncio


async def fail():
    await asyncio.sleep(0.01)
    raise ValueError("bad input")


async def slow():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("slow sibling cancelled")
        raise
    print("slow sibling finished")


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            sibling = tg.create_task(slow())
            tg.create_task(fail())
            print("body waits")
    except ExceptionGroup as eg:
        print(type(eg).__name__, "with", len(eg.exceptions), "exception")
        for e in eg.exceptions:
            print(" ", type(e).__name__, e)
    print("sibling is", "cancelled" if sibling.cancelled() else "not cancelled")


asyncio.run(main())
