"""wait(timeout=) returns what is done at the deadline, cancels nothing, and leaves no helper task."""
import asyncio


async def job(delay):
    await asyncio.sleep(delay)
    return delay


async def main():
    quick = asyncio.create_task(job(0.01), name="quick")
    slow = asyncio.create_task(job(1), name="slow")
    done, pending = await asyncio.wait([quick, slow], timeout=0.5)
    print("done:", [t.get_name() for t in done], "pending:", [t.get_name() for t in pending])
    print("slow is", "cancelled" if slow.cancelled() else "not cancelled")
    print("tasks alive:", sorted(t.get_name() for t in asyncio.all_tasks()))
    slow.cancel()
    done, pending = await asyncio.wait([slow], timeout=1)
    print("after cancel: done", len(done), "pending", len(pending))


asyncio.run(main())
