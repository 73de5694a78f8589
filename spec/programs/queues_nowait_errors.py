"""get_nowait() on an empty Queue raises QueueEmpty, put_nowait() on a full one QueueFull; task_done() too often is a ValueError."""
import asyncio


async def main():
    queue = asyncio.Queue(1)
    try:
        queue.get_nowait()
    except asyncio.QueueEmpty as e:
        print("empty:", type(e).__name__, repr(str(e)))
    queue.put_nowait("x")
    try:
        queue.put_nowait("y")
    except asyncio.QueueFull as e:
        print("full:", type(e).__name__, repr(str(e)))
    print("got", queue.get_nowait())
    queue.task_done()
    try:
        queue.task_done()
    except ValueError as e:
        print(type(e).__name__, e)


asyncio.run(main())
