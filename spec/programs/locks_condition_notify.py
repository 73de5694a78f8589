"""Condition: notify(1) wakes one waiter at a time, in order; notify_all() wakes the rest."""
import asyncio


async def consumer(name, cond, items):
    async with cond:
        await cond.wait()
        print(name, "woke up and takes", items.pop(0))


async def main():
    cond = asyncio.Condition()
    items = []
    tasks = [asyncio.create_task(consumer(f"c{i}", cond, items)) for i in range(4)]
    await asyncio.sleep(0)
    for item in ("apple", "pear"):
        async with cond:
            items.append(item)
            cond.notify(1)
            print("notified one for", item)
        await asyncio.sleep(0)
    async with cond:
        items.extend(["plum", "fig"])
        cond.notify_all()
        print("notified all")
    await asyncio.gather(*tasks)
    print("left:", items)


asyncio.run(main())
