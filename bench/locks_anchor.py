"""The anchors for bench/locks.bench.mjs: the same programs on CPython asyncio or uvloop.

python locks_anchor.py asyncio|uvloop N  -> JSON {case: pairs_per_sec}, best of 5 after warm-up.
Each case's n is N scaled as in locks.bench.mjs (the contended lock runs N // 10 pairs).
"""
import asyncio

from _anchor import main

QUEUE_MAXSIZE = 100


def lock_uncontended(loop, n):
    async def main():
        lock = asyncio.Lock()
        for _ in range(n):
            await lock.acquire()
            lock.release()
    loop.run_until_complete(main())


def lock_contended(loop, n):
    async def main():
        lock = asyncio.Lock()

        async def worker(k):
            for _ in range(k):
                await lock.acquire()
                try:
                    await asyncio.sleep(0)
                finally:
                    lock.release()
        await asyncio.gather(*[worker(n // 100) for _ in range(100)])
    loop.run_until_complete(main())


def queue(producers):
    def case(loop, n):
        async def main():
            q = asyncio.Queue(QUEUE_MAXSIZE)

            async def producer(k):
                for i in range(k):
                    await q.put(i)

            async def consumer(k):
                for _ in range(k):
                    await q.get()
            await asyncio.gather(*[producer(n // producers) for _ in range(producers)], consumer(n))
        loop.run_until_complete(main())
    return case


CASES = {
    "lock acquire/release, uncontended": (lock_uncontended, 1),
    "lock acquire/release, 100 tasks contending": (lock_contended, 10),
    "queue put/get, 1 producer": (queue(1), 1),
    "queue put/get, 100 producers": (queue(100), 1),
}


if __name__ == "__main__":
    main(CASES)
