"""A timeout's deadline can be set later from inside the block (reschedule), or removed."""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(None) as cm:
            print("when() at first:", cm.when())
            cm.reschedule(loop.time() + 0.05)
            print("rescheduled:", "a deadline" if cm.when() is not None else "none")
            await asyncio.sleep(1)
    except TimeoutError:
        print("timed out after the reschedule")
    async with asyncio.timeout(0.02) as cm:
        cm.reschedule(None)
        await asyncio.sleep(0.05)
    print("a removed deadline does not fire: expired() =", cm.expired())


asyncio.run(main())
