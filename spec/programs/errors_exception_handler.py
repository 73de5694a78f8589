"""A custom exception handler gets a callback's exception; the loop goes on with the next callback."""
import asyncio


def broken():
    raise ValueError("bad callback")


def handler(loop, context):
    exc = context.get("exception")
    print("handler got", type(exc).__name__, exc, "with keys", sorted(context))


async def main():
    loop = asyncio.get_running_loop()
    print("default handler in place:", loop.get_exception_handler() is None)
    loop.set_exception_handler(handler)
    loop.call_soon(broken)
    loop.call_soon(print, "the next callback runs")
    await asyncio.sleep(0.01)
    loop.call_exception_handler({"message": "something odd"})
    loop.set_exception_handler(None)
    print("main ends")


asyncio.run(main())
