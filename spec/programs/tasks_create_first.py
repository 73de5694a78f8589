"""The most common shape: main's first line creates a task."""
import asyncio


async def worker(name, delay):
    print(f"{name} started")
    await asyncio.sleep(delay)
    print(f"{name} finished")
    return name.upper()


async def main():
    task = asyncio.create_task(worker("a", 0.01))
    print("main created the task")
    other = asyncio.create_task(worker("b", 0.02))
    print("main awaits")
    first = await task
    second = await other
    print("results:", first, second)


asyncio.run(main())
