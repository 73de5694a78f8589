"""except* takes a TaskGroup's ExceptionGroup apart by type."""
import asyncio


async def bad_value():
    raise ValueError("not a number")


async def bad_type():
    raise TypeError("not a string")


async def bad_key():
    await asyncio.sleep(0)
    raise KeyError("k")


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(bad_value())
            tg.create_task(bad_type())
            tg.create_task(bad_value())
    except* ValueError as eg:
        print("ValueErrors:", [str(e) for e in eg.exceptions])
    except* TypeError as eg:
        print("TypeErrors:", [str(e) for e in eg.exceptions])
    try:
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(bad_key())
        except* ValueError:
            print("not reached")
    except* LookupError as eg:
        print("unmatched groups go on:", type(eg).__name__, [type(e).__name__ for e in eg.exceptions])


asyncio.run(main())
