"""wait(FIRST_EXCEPTION) returns when a task fails; the exception stays in the task."""
import asyncio


async def job(delay, fail):
    await asyncio.sleep(delay)
    if fail:
        raise ValueError(f"failed after {delay}")
    return delay


async def main():
    tasks = [asyncio.create_task(job(0.01, False), name="ok"),
             asyncio.create_task(job(0.02, True), name="bad"),
             asyncio.create_task(job(1, False), name="slow")]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    print("done:", sorted(t.get_name() for t in done), "pending:", sorted(t.get_name() for t in pending))
    for t in sorted(done, key=lambda t: t.get_name()):
        exc = t.exception()
        print(t.get_name(), "->", f"{type(exc).__name__}: {exc}" if exc else t.result())
    for t in pending:
        t.cancel()
    await asyncio.wait(pending)
    print("slow cancelled:", tasks[2].cancelled())


asyncio.run(main())
