"""An exception that leaves main ends asyncio.run, and the program, with it."""
import asyncio


async def helper():
    await asyncio.sleep(0)
    raise ValueError("configuration is missing")


async def main():
    print("main starts")
    await helper()
    print("not reached")


asyncio.run(main())
print("not reached either")
