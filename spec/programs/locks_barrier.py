"""Barrier(3): the first two wait for the third; wait() returns each party's arrival index."""
import asyncio


async def party(name, barrier, delay):
    await asyncio.sleep(delay)
    print(name, "arrives;", barrier.n_waiting, "already waiting")
    index = await barrier.wait()
    print(name, "passes with index", index)


async def main():
    barrier = asyncio.Barrier(3)
    await asyncio.gather(party("a", barrier, 0), party("b", barrier, 0.01), party("c", barrier, 0.02))
    print("parties", barrier.parties, "waiting", barrier.n_waiting, "broken", barrier.broken)


asyncio.run(main())
