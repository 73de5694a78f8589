"""BoundedSemaphore refuses a release beyond its initial value; Semaphore(-1) is a ValueError."""
import asyncio


async def main():
    sem = asyncio.BoundedSemaphore(1)
    await sem.acquire()
    sem.release()
    try:
        sem.release()
    except ValueError as e:
        print(type(e).__name__, e)
    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        print(type(e).__name__, e)
    plain = asyncio.Semaphore(0)
    plain.release()
    print("a plain Semaphore may go above its start:", "locked" if plain.locked() else "not locked")


asyncio.run(main())
