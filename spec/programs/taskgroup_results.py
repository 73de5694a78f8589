"""TaskGroup waits for every child; the body's code after create_task runs first."""
import asyncio


async def work(n):
    await asyncio.sleep(0.01 * n)
    print("work", n, "done")
    return n * n


async def main():
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(work(n)) for n in (3, 1, 2)]
        print("body done, the group waits")
    print("results:", *[t.result() for t in tasks])


asyncio.run(main())
