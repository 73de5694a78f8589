"""Semaphore(2) lets two jobs in at a time; the others wait their turn in order."""
import asyncio


async def job(name, sem, running):
    async with sem:
        running.append(name)
        print(name, "starts with", len(running), "running")
        await asyncio.sleep(0.01)
        running.remove(name)
        print(name, "ends")


async def main():
    sem = asyncio.Semaphore(2)
    running = []
    await asyncio.gather(*(job(f"j{i}", sem, running) for i in range(5)))
    print("semaphore locked at the end:", sem.locked())


asyncio.run(main())
