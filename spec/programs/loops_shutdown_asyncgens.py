"""Async generators left suspended are closed by the loop's shutdown_asyncgens(), which asyncio.run
calls before closing its loop (their finally blocks run, awaits included); one that finished or
never started is not touched again, and a closed loop's shutdown_asyncgens() has nothing to do."""
import asyncio

kept = []


async def numbers(name, n):
    try:
        for i in range(n):
            yield i
            await asyncio.sleep(0)
        print(name, "ran to its end")
    finally:
        await asyncio.sleep(0)
        print(name, "finally")


async def main():
    suspended = numbers("suspended", 10)
    kept.append(suspended)
    print("first values:", await suspended.__anext__(), await suspended.__anext__())
    finished = numbers("finished", 2)
    kept.append(finished)
    print("all of finished:", [x async for x in finished])
    kept.append(numbers("never started", 3))
    print("main returns")


asyncio.run(main())
print("after asyncio.run")



async def first(agen):
    return await agen.__anext__()  # its first iteration happens on the running loop, which keeps it


loop = asyncio.new_event_loop()
agen = numbers("on a loop of its own", 5)
print("first value:", loop.run_until_complete(first(agen)))
loop.run_until_complete(loop.shutdown_asyncgens())
print("after shutdown_asyncgens")
loop.close()
print("closed")
print("a closed loop's shutdown_asyncgens():", asyncio.run(loop.shutdown_asyncgens()))
