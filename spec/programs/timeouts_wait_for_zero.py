"""wait_for(coro, 0): TimeoutError at once, and the coroutine never starts."""
import asyncio


async def work():
    print("work started")
    await asyncio.sleep(0)
    return "done"


async def main():
    try:
        await asyncio.wait_for(work(), 0)
    except TimeoutError:
        print("TimeoutError at once")
    done = asyncio.get_running_loop().create_future()
    done.set_result("ready")
    print("a done future with timeout 0:", await asyncio.wait_for(done, 0))


asyncio.run(main())
