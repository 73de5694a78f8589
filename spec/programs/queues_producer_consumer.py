"""A producer and a consumer take turns through a Queue; None ends the stream."""
import asyncio


async def producer(queue):
    for i in range(4):
        await queue.put(i)
        print("put", i)
        await asyncio.sleep(0)
    await queue.put(None)


async def consumer(queue):
    total = 0
    while True:
        item = await queue.get()
        if item is None:
            break
        print("got", item)
        total += item
    return total


async def main():
    queue = asyncio.Queue()
    _, total = await asyncio.gather(producer(queue), consumer(queue))
    print("total", total, "empty", queue.empty())


asyncio.run(main())
