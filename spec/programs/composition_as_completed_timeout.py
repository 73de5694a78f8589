"""as_completed(timeout=) raises TimeoutError for what is not done in time, with no task left behind."""
import asyncio


async def job(name, delay):
    await asyncio.sleep(delay)
    return name


async def main():
    fast = asyncio.create_task(job("fast", 0.01), name="fast")
    slow = asyncio.create_task(job("slow", 1), name="slow")
    try:
        for next_done in asyncio.as_completed([fast, slow], timeout=0.5):
            print("got", await next_done)
    except TimeoutError:
        print("TimeoutError for the rest")
    print("tasks alive:", sorted(t.get_name() for t in asyncio.all_tasks()))
    print("slow is", "cancelled" if slow.cancelled() else "not cancelled")
    slow.cancel()


asyncio.run(main())
