"""Lock waiters acquire in the order they queued; the holder keeps the lock across awaits."""
import asyncio


async def worker(name, lock):
    print(name, "wants the lock")
    async with lock:
        print(name, "holds the lock")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        print(name, "releases the lock")


async def main():
    lock = asyncio.Lock()
    tasks = [asyncio.create_task(worker(name, lock)) for name in ("a", "b", "c")]
    await asyncio.gather(*tasks)
    print("locked at the end:", lock.locked())


asyncio.run(main())
