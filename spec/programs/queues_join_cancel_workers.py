"""The documentation's pattern: workers drain a queue, main joins it, then cancels the idle workers."""
import asyncio


async def worker(name, queue, log):
    while True:
        item = await queue.get()
        await asyncio.sleep(0.001 * item)
        log.append((name, item))
        queue.task_done()


async def main():
    queue = asyncio.Queue()
    for item in (3, 1, 2, 5, 4):
        queue.put_nowait(item)
    log = []
    workers = [asyncio.create_task(worker(f"worker-{i}", queue, log)) for i in range(2)]
    await queue.join()
    print("queue joined after", len(log), "items, empty:", queue.empty())
    for w in workers:
        w.cancel()
    results = await asyncio.gather(*workers, return_exceptions=True)
    print("workers ended with", [type(r).__name__ for r in results])
    print("items done:", sorted(item for _, item in log))


asyncio.run(main())
