"""as_completed() yields results in the order the tasks finish."""
import asyncio


async def job(name, delay):
    await asyncio.sleep(delay)
    return name


async def main():
    tasks = [asyncio.create_task(job(n, d)) for n, d in (("c", 0.03), ("a", 0.01), ("b", 0.02))]
    for i, next_done in enumerate(asyncio.as_completed(tasks)):
        print(i, await next_done)


asyncio.run(main())
