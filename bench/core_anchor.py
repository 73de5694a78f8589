"""The anchors for bench/core.bench.mjs: the same loops on CPython asyncio or uvloop.

python core_anchor.py asyncio|uvloop N  -> JSON {case: ops_per_sec}, best of 5 after warm-up.
"""
import asyncio

from _anchor import main


def bulk(loop, n):
    count = 0
    def cb():
        nonlocal count
        count += 1
    for _ in range(n):
        loop.call_soon(cb)
    loop.call_soon(loop.stop)
    loop.run_forever()


def chained(loop, n):
    left = n
    def cb():
        nonlocal left
        left -= 1
        if left:
            loop.call_soon(cb)
        else:
            loop.stop()
    loop.call_soon(cb)
    loop.run_forever()


async def _noop():
    return 1


def tasks(loop, n):
    async def main():
        for _ in range(n):
            await loop.create_task(_noop())
    loop.run_until_complete(main())


def sleep0(loop, n):
    async def main():
        for _ in range(n):
            await asyncio.sleep(0)
    loop.run_until_complete(main())


def future_rt(loop, n):
    async def main():
        for _ in range(n):
            f = loop.create_future()
            loop.call_soon(f.set_result, 1)
            await f
    loop.run_until_complete(main())


CASES = {"call_soon bulk": bulk, "call_soon chained": chained, "task create+await": tasks,
         "sleep(0) steps": sleep0, "future round trip": future_rt}


if __name__ == "__main__":
    main({name: (fn, 1) for name, fn in CASES.items()})
