"""From inside a running loop: closing it, running it again, running another loop, asyncio.run and
Runner.run are all refused, and the loop goes on."""
import asyncio


async def child():
    return "child ran"


async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(print, "a callback queued before the refusals")
    try:
        loop.close()
    except RuntimeError as e:
        print("close:", e)
    print("closed:", loop.is_closed(), "running:", loop.is_running())
    try:
        loop.run_forever()
    except RuntimeError as e:
        print("run_forever:", e)
    fut = loop.create_future()
    try:
        loop.run_until_complete(fut)
    except RuntimeError as e:
        print("run_until_complete:", e)
    other = asyncio.new_event_loop()
    try:
        other.run_until_complete(other.create_future())
    except RuntimeError as e:
        print("another loop:", e)
    other.close()
    try:
        other.run_forever()
    except RuntimeError as e:
        print("another loop, closed:", e)
    coro = child()
    try:
        asyncio.run(coro)
    except RuntimeError as e:
        print("asyncio.run:", e)
    try:
        asyncio.Runner().run(coro)
    except RuntimeError as e:
        print("Runner.run:", e)
    print("the refused coroutine, awaited:", await coro)
    await asyncio.sleep(0)
    print("main goes on; fut done:", fut.done())
    return "main done"


print(asyncio.run(main()))
