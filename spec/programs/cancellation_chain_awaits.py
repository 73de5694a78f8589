"""A cancel message travels through a -> b -> c, each awaiting the next directly."""
import asyncio


async def c():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        print("c sees CancelledError:", e)
        raise
    print("c ran to the end")


async def b():
    try:
        await c()
    except asyncio.CancelledError as e:
        print("b sees CancelledError:", e)
        raise
    print("b ran to the end")


async def a():
    try:
        await b()
    except asyncio.CancelledError as e:
        print("a sees CancelledError:", e)
        raise
    print("a ran to the end")


async def main():
    task = asyncio.create_task(a())
    await asyncio.sleep(0.01)
    task.cancel("shutting down")
    try:
        await task
    except asyncio.CancelledError as e:
        print("main sees CancelledError:", e)


asyncio.run(main())
