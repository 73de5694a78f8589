"""to_thread of a CPU-bound function: the loop keeps stepping the other tasks while it runs."""
import asyncio
import time


def crunch(n, seconds):
    # Busy for `seconds` of CPU at least, then the sum of i*i % 7 below n.
    deadline = time.monotonic() + seconds
    while True:
        total = 0
        for i in range(n):
            total += i * i % 7
        if time.monotonic() >= deadline:
            return total


async def ticker(log):
    while True:
        log.append("tick")
        await asyncio.sleep(0.01)


async def steps(name, n):
    for i in range(n):
        print(name, "step", i)
        await asyncio.sleep(0)
    return name


async def main():
    log = []
    t = asyncio.create_task(ticker(log))
    others = [asyncio.create_task(steps(name, 2)) for name in ("a", "b")]
    job = asyncio.create_task(asyncio.to_thread(crunch, 1000, 0.3))
    print("job started")
    print(await asyncio.gather(*others))
    before = len(log)
    result = await job
    ticks = len(log) - before
    t.cancel()
    print("crunch result", result)
    print("the ticker stepped while the thread ran:", ticks >= 5)
    results = await asyncio.gather(asyncio.to_thread(crunch, 10, 0.05), asyncio.to_thread(crunch, 20, 0.05), steps("c", 1))
    print(results)


if __name__ == "__main__":
    asyncio.run(main())
