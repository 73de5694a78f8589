"""The body of the async with raises: the children are cancelled, the error comes in a group."""
import asyncio


async def child():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("child cancelled")
        raise


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child())
            await asyncio.sleep(0.01)
            raise RuntimeError("body failed")
    except ExceptionGroup as eg:
        print("caught", type(eg).__name__, [f"{type(e).__name__}: {e}" for e in eg.exceptions])


asyncio.run(main())
