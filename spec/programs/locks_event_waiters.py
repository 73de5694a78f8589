"""Event.set() wakes every waiter, in the order they started waiting; clear() makes them wait again."""
import asyncio


async def waiter(name, event):
    print(name, "waits")
    await event.wait()
    print(name, "woke up")


async def main():
    event = asyncio.Event()
    tasks = [asyncio.create_task(waiter(n, event)) for n in ("w1", "w2", "w3")]
    await asyncio.sleep(0)
    print("setting the event")
    event.set()
    await asyncio.gather(*tasks)
    print("a set event returns at once:", await event.wait())
    event.clear()
    late = asyncio.create_task(waiter("late", event))
    await asyncio.sleep(0.01)
    print("late is", "done" if late.done() else "waiting")
    event.set()
    await late


asyncio.run(main())
