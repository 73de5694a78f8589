"""Releasing a Lock that is not held raises RuntimeError; acquire() returns True."""
import asyncio


async def main():
    lock = asyncio.Lock()
    try:
        lock.release()
    except RuntimeError as e:
        print(type(e).__name__, e)
    print("acquire() returned", await lock.acquire())
    print("locked:", lock.locked())
    lock.release()
    print("locked after release:", lock.locked())


asyncio.run(main())
