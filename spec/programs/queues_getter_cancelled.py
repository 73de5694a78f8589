"""A consumer cancelled in get() loses nothing: the item goes to the next consumer."""
import asyncio


async def consumer(name, queue):
    try:
        item = await queue.get()
        print(name, "got", item)
    except asyncio.CancelledError:
        print(name, "cancelled in get()")
        raise


async def main():
    queue = asyncio.Queue()
    first = asyncio.create_task(consumer("first", queue))
    second = asyncio.create_task(consumer("second", queue))
    await asyncio.sleep(0)
    first.cancel()
    queue.put_nowait("the item")
    await asyncio.gather(first, second, return_exceptions=True)
    print("queue size", queue.qsize())


asyncio.run(main())
