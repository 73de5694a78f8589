"""A TaskGroup's ExceptionGroup: its .message attribute is the bare message, as args[0] is."""
import asyncio


async def fail(msg):
    raise ValueError(msg)


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail("one"))
            tg.create_task(fail("two"))
    except ExceptionGroup as eg:
        print("message:", eg.message)
        print("args[0]:", eg.args[0])


asyncio.run(main())
