"""main raises while a task is pending: the task is cancelled and finishes first, then the error ends the program."""
import asyncio


async def worker():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("worker cancelled during shutdown")
        raise


async def main():
    asyncio.create_task(worker())
    await asyncio.sleep(0.01)
    raise RuntimeError("main failed")


asyncio.run(main())
