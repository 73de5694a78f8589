"""Without return_exceptions the first error reaches the awaiter; the other children keep running."""
import asyncio


async def slow(name):
    await asyncio.sleep(0.3)
    print(name, "finished anyway")
    return name


async def bad():
    await asyncio.sleep(0.01)
    raise RuntimeError("broken")


async def main():
    a = asyncio.create_task(slow("a"))
    b = asyncio.create_task(slow("b"))
    try:
        await asyncio.gather(a, bad(), b)
    except RuntimeError as e:
        print("gather raised", type(e).__name__, e)
    print("a is", "done" if a.done() else "pending", "when the error arrives")
    await asyncio.sleep(0.5)
    print("a and b results:", a.result(), b.result())


asyncio.run(main())
