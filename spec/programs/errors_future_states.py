"""A Future's misuse errors: result() too early, set_result() twice, exception() of a cancelled one."""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    try:
        fut.result()
    except asyncio.InvalidStateError as e:
        print(type(e).__name__, e)
    fut.set_result(1)
    try:
        fut.set_result(2)
    except asyncio.InvalidStateError as e:
        print(type(e).__name__, e)
    print("result still", fut.result())
    other = loop.create_future()
    other.cancel("no longer needed")
    try:
        other.exception()
    except asyncio.CancelledError as e:
        print("exception() of a cancelled future raises", type(e).__name__, e)
    print("cancel() again:", other.cancel())
    try:
        loop.create_future().set_exception(StopIteration())
    except TypeError as e:
        print(type(e).__name__, e)


asyncio.run(main())
