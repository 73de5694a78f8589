"""A bounded Queue: put() waits while it is full and goes on once a get() makes room."""
import asyncio


async def producer(queue):
    for i in range(4):
        print("putting", i)
        await queue.put(i)
        print("put", i, "size now", queue.qsize())


async def main():
    queue = asyncio.Queue(maxsize=2)
    task = asyncio.create_task(producer(queue))
    await asyncio.sleep(0.01)
    print("full:", queue.full(), "maxsize:", queue.maxsize)
    while not task.done() or not queue.empty():
        item = await queue.get()
        print("got", item)
        await asyncio.sleep(0)
    await task


asyncio.run(main())
