"""Two children fail in the same iteration: both are in the group, in the order they failed."""
import asyncio


async def fail_after(delay, exc):
    await asyncio.sleep(delay)
    raise exc


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail_after(0, ValueError("first")))
            tg.create_task(fail_after(0, RuntimeError("second")))
    except ExceptionGroup as eg:
        print("as a string:", f"{type(eg).__name__}: {eg}")
        print("sub-exceptions:", ", ".join(f"{type(e).__name__}({e})" for e in eg.exceptions))


asyncio.run(main())
