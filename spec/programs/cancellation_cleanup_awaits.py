"""Cleanup that awaits inside finally still runs after a cancellation; a second cancel lands there."""
import asyncio


async def worker():
    try:
        await asyncio.sleep(1)
    finally:
        print("cleanup starts")
        await asyncio.sleep(0.01)
        print("cleanup step 2")
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print("cleanup interrupted by the second cancel")
            raise


async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(0)
    task.cancel()
    await asyncio.sleep(0.05)
    print("task done?", "yes" if task.done() else "no")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("main: worker cancelled")


asyncio.run(main())
