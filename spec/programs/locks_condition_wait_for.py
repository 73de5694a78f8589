"""Condition.wait_for(predicate) re-checks the predicate on each notify until it holds."""
import asyncio


async def main():
    cond = asyncio.Condition()
    state = {"count": 0}

    async def waiter():
        async with cond:
            result = await cond.wait_for(lambda: state["count"] >= 3)
            print("predicate held at count", state["count"], "returned", result)

    task = asyncio.create_task(waiter())
    for _ in range(4):
        await asyncio.sleep(0)
        async with cond:
            state["count"] += 1
            print("count is", state["count"])
            cond.notify()
    await task


asyncio.run(main())
