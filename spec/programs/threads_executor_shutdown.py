"""Executor shutdown with pending work: cancel_futures, wait=False, and asyncio.run waiting for the default executor."""
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor


def job(i, seconds):
    time.sleep(seconds)
    print("job", i, "finished", flush=True)
    return i * 10


async def main():
    loop = asyncio.get_running_loop()
    ex = ThreadPoolExecutor(max_workers=1)
    futs = [ex.submit(job, i, 0.05) for i in range(4)]
    while not futs[0].running():
        time.sleep(0.001)
    ex.shutdown(wait=True, cancel_futures=True)
    print("after shutdown(cancel_futures=True):", [(f.done(), f.cancelled()) for f in futs])
    print("first result", futs[0].result())
    try:
        ex.submit(job, 9, 0)
    except RuntimeError as e:
        print("RuntimeError:", e)

    ex2 = ThreadPoolExecutor(max_workers=1)
    pending = [asyncio.wrap_future(ex2.submit(job, i, 0.02)) for i in range(4, 6)]
    ex2.shutdown(wait=False)
    print("shutdown(wait=False) returned")
    print("still completed:", await asyncio.gather(*pending))

    loop.set_default_executor(ThreadPoolExecutor(max_workers=1))
    for i in range(6, 8):
        loop.run_in_executor(None, job, i, 0.05)
    print("main returns with two jobs in the default executor")


if __name__ == "__main__":
    asyncio.run(main())
    print("after asyncio.run")
