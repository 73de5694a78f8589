"""An Event.wait() waiter is cancelled: it sees CancelledError; the other waiter still wakes."""
import asyncio


async def waiter(name, event):
    try:
        await event.wait()
        print(name, "woke up")
    except asyncio.CancelledError:
        print(name, "cancelled while waiting")
        raise


async def main():
    event = asyncio.Event()
    first = asyncio.create_task(waiter("first", event))
    second = asyncio.create_task(waiter("second", event))
    await asyncio.sleep(0.01)
    first.cancel()
    await asyncio.sleep(0.01)
    print("first is", "cancelled" if first.cancelled() else "not cancelled")
    event.set()
    await second
    print("done")


asyncio.run(main())
