"""cancel() of a task waiting on work outside asyncio (a thread here, a foreign promise in the
TypeScript twin) takes effect at once: the task does not wait for that work to finish, and is
not resumed again when it does."""
import asyncio
import time


async def fetch():
    try:
        await asyncio.to_thread(time.sleep, 0.3)
        print("fetch: the slow work finished")
    except asyncio.CancelledError:
        print("fetch: cancelled at its await")
        raise
    finally:
        print("fetch: cleanup")


async def main():
    loop = asyncio.get_running_loop()
    task = asyncio.create_task(fetch())
    await asyncio.sleep(0.01)
    start = loop.time()
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("main: task cancelled:", task.cancelled())
    print("main: the cancel took effect before the slow work ended:", loop.time() - start < 0.2)
    await asyncio.sleep(0.5)
    print("main: done, the task is still", "cancelled" if task.cancelled() else "not cancelled")


asyncio.run(main())
