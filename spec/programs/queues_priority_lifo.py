"""PriorityQueue hands out the smallest item first, LifoQueue the newest."""
import asyncio


async def main():
    pq = asyncio.PriorityQueue()
    for item in ((3, "low"), (1, "urgent"), (2, "normal"), (1, "also urgent")):
        await pq.put(item)
    while not pq.empty():
        priority, name = await pq.get()
        print("priority", priority, name)
    lq = asyncio.LifoQueue()
    for item in ("first", "second", "third"):
        lq.put_nowait(item)
    print("lifo:", lq.get_nowait(), lq.get_nowait(), lq.get_nowait())


asyncio.run(main())
