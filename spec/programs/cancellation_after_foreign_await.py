"""A task that first awaited work outside asyncio (a thread here, a foreign promise in the
TypeScript twin) and then waits on an Event is still its own task: cancel() reaches it at the
Event's wait."""
import asyncio
import time


async def worker(ev):
    await asyncio.to_thread(time.sleep, 0.01)
    print("worker: the outside work is done, now waiting on the event")
    try:
        await ev.wait()
        print("worker: the event was set")
    except asyncio.CancelledError:
        print("worker: cancelled while waiting on the event")
        raise


async def main():
    ev = asyncio.Event()
    task = asyncio.create_task(worker(ev))
    await asyncio.sleep(0.3)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("main: task cancelled:", task.cancelled())
    ev.set()
    await asyncio.sleep(0)
    print("main: done")


asyncio.run(main())
