"""A Lock waiter cancelled while queued never runs its critical section; the next waiter gets the lock."""
import asyncio


async def holder(lock, release):
    async with lock:
        print("holder has the lock")
        await release.wait()
        print("holder releases")


async def waiter(name, lock):
    try:
        async with lock:
            print(name, "runs its critical section")
    except asyncio.CancelledError:
        print(name, "cancelled while queued")
        raise


async def main():
    lock = asyncio.Lock()
    release = asyncio.Event()
    h = asyncio.create_task(holder(lock, release))
    await asyncio.sleep(0)
    b = asyncio.create_task(waiter("b", lock))
    c = asyncio.create_task(waiter("c", lock))
    await asyncio.sleep(0)
    b.cancel()
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(h, b, c, return_exceptions=True)
    print("b cancelled:", b.cancelled(), "lock free:", not lock.locked())


asyncio.run(main())
