"""wait(FIRST_COMPLETED) returns as soon as one task is done; the rest stay pending."""
import asyncio


async def job(delay):
    await asyncio.sleep(delay)
    return delay


async def main():
    tasks = [asyncio.create_task(job(d), name=f"job{i}") for i, d in enumerate((0.3, 0.01, 0.4))]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print("done:", sorted(t.get_name() for t in done), "pending:", sorted(t.get_name() for t in pending))
    done, pending = await asyncio.wait(pending)
    print("then done:", sorted(t.get_name() for t in done), "pending:", len(pending))


asyncio.run(main())
