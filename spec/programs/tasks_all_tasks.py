"""all_tasks() lists main and the pending tasks, and nothing else."""
import asyncio


async def sleeper(delay):
    await asyncio.sleep(delay)


async def main():
    tasks = [asyncio.create_task(sleeper(delay), name=f"s{i}") for i, delay in ((1, 0.01), (2, 0.3), (3, 0.3))]
    await asyncio.sleep(0)
    print("pending:", " ".join(sorted(t.get_name() for t in asyncio.all_tasks())))
    await tasks[0]
    print("after s1:", " ".join(sorted(t.get_name() for t in asyncio.all_tasks())))
    await asyncio.gather(*tasks)
    print("at the end:", len(asyncio.all_tasks()), "task")


asyncio.run(main())
