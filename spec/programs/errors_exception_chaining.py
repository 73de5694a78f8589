"""raise ... from ...: the cause travels with the exception through a task to its awaiter."""
import asyncio


async def load():
    try:
        await asyncio.sleep(0)
        raise KeyError("port")
    except KeyError as e:
        raise RuntimeError("cannot load the configuration") from e


async def main():
    try:
        await asyncio.create_task(load())
    except RuntimeError as e:
        print(type(e).__name__, e)
        print("caused by", type(e.__cause__).__name__, e.__cause__)


asyncio.run(main())
