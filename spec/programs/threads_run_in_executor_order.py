"""run_in_executor: where its result lands among the loop's callbacks, FIFO in one worker, errors."""
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor


def square(x):
    return x * x


def slow(x, seconds):
    time.sleep(seconds)
    return x


def fail(message):
    raise ValueError(message)


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.run_in_executor(None, square, 7)
    fut.add_done_callback(lambda f: print("done callback", f.result()))
    loop.call_soon(print, "call_soon 1")
    loop.call_soon(print, "call_soon 2")
    print("awaiting")
    print("result", await fut)

    ex = ThreadPoolExecutor(max_workers=1)
    futs = [loop.run_in_executor(ex, slow, i, 0.01) for i in range(4)]
    for i, f in enumerate(futs):
        f.add_done_callback(lambda f, i=i: print("job", i, "done:", f.result()))
    print(await asyncio.gather(*futs))

    try:
        await loop.run_in_executor(ex, fail, "boom")
    except ValueError as e:
        print("ValueError:", e)

    # Cancelling the asyncio future: a job not yet started is cancelled; a running one runs on.
    running = ex.submit(slow, "running", 0.1)
    queued = ex.submit(slow, "queued", 0)
    a, b = asyncio.wrap_future(running), asyncio.wrap_future(queued)
    while not running.running():
        await asyncio.sleep(0.001)
    print("cancel:", a.cancel(), b.cancel())
    await asyncio.sleep(0)
    print("asyncio futures cancelled:", a.cancelled(), b.cancelled())
    print("running job cancelled:", running.cancelled(), "queued job cancelled:", queued.cancelled())
    print("the running job finished with", await asyncio.wrap_future(running))
    ex.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
