"""gather() returns results in argument order, whatever order the children finish in."""
import asyncio


async def job(name, delay):
    await asyncio.sleep(delay)
    print(name, "finished")
    return name


async def main():
    results = await asyncio.gather(job("slow", 0.03), job("fast", 0.01), job("middle", 0.02))
    print("results:", " ".join(results))
    print("empty gather:", len(await asyncio.gather()))
    task = asyncio.create_task(job("task", 0))
    both = await asyncio.gather(task, job("coro", 0))
    print("a task and a coroutine:", " ".join(both))


asyncio.run(main())
