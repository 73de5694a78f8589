"""sleep(0) is one bare yield: three workers take turns, one step each per iteration."""
import asyncio


async def worker(name, steps):
    for i in range(steps):
        print(name, "step", i)
        await asyncio.sleep(0)
    print(name, "finished")
    return steps


async def main():
    tasks = [asyncio.create_task(worker(name, n)) for name, n in (("a", 3), ("b", 1), ("c", 2))]
    print("main yields")
    await asyncio.sleep(0)
    print("main is back")
    total = 0
    for t in tasks:
        total += await t
    print("total steps", total)


asyncio.run(main())
