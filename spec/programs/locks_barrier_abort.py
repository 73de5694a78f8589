"""Barrier.abort(): every waiter gets BrokenBarrierError, and so does any later wait()."""
import asyncio


async def party(name, barrier):
    try:
        await barrier.wait()
    except asyncio.BrokenBarrierError as e:
        print(name, "got", type(e).__name__)


async def main():
    barrier = asyncio.Barrier(3)
    tasks = [asyncio.create_task(party(n, barrier)) for n in ("a", "b")]
    await asyncio.sleep(0)
    print("waiting:", barrier.n_waiting)
    await barrier.abort()
    await asyncio.gather(*tasks)
    print("broken:", barrier.broken)
    await party("late", barrier)
    await barrier.reset()
    print("after reset, broken:", barrier.broken)


asyncio.run(main())
