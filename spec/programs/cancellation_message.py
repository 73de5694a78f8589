"""cancel(msg): the message reaches the body's CancelledError and the awaiter's."""
import asyncio


async def body():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        print("body got CancelledError, args[0] =", e.args[0])
        raise


async def main():
    task = asyncio.create_task(body())
    await asyncio.sleep(0)
    task.cancel("stop now")
    try:
        await task
    except asyncio.CancelledError as e:
        print("main got CancelledError:", str(e))
    try:
        task.result()
    except asyncio.CancelledError as e:
        print("result() raises CancelledError:", str(e))


asyncio.run(main())
