"""The anchors for bench/executors.bench.mjs, on CPython 3.11.

python executors_anchor.py N_TO_THREAD BURN_MS JOBS -> JSON:
  to_thread_seq / to_thread_1000: to_thread(noop) jobs/s, one at a time / 1000 in flight;
  burn_ms: one burn job alone, in milliseconds (its n sized to take about BURN_MS);
  process_1 / process_2: burn jobs/s over ProcessPoolExecutor(1) / (2), JOBS jobs;
  thread_1 / thread_2: the same over ThreadPoolExecutor(1) / (2) (the GIL lets one run at a time).
Best of 5 after a warm-up.
"""
import asyncio
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def noop(x):
    return x


def burn(n):
    h = 0
    for i in range(n):
        h = ((h ^ i) * 2654435761 + 1) & 0xFFFFFFFF
    return h


def best(fn, repeat=5):
    fn()
    b = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        b = min(b, time.perf_counter() - t0)
    return b


def main():
    n, burn_ms, jobs = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    burn_n = 100000
    for _ in range(3):
        t0 = time.perf_counter()
        burn(burn_n)
        burn_n = max(10000, round(burn_n * burn_ms / 1000 / (time.perf_counter() - t0)))
    out = {}

    async def seq():
        for i in range(n):
            await asyncio.to_thread(noop, i)

    async def flight():
        for _ in range(n // 1000):
            await asyncio.gather(*[asyncio.to_thread(noop, i) for i in range(1000)])

    loop = asyncio.new_event_loop()
    out["to_thread_seq"] = n / best(lambda: loop.run_until_complete(seq()))
    out["to_thread_1000"] = (n // 1000 * 1000) / best(lambda: loop.run_until_complete(flight()))
    loop.run_until_complete(loop.shutdown_default_executor())
    loop.close()

    out["burn_ms"] = best(lambda: burn(burn_n)) * 1000
    for kind, cls in (("process", ProcessPoolExecutor), ("thread", ThreadPoolExecutor)):
        for w in (1, 2):
            with cls(max_workers=w) as ex:
                list(ex.map(noop, range(w * 4)))  # start the workers
                out[f"{kind}_{w}"] = jobs / best(lambda: list(ex.map(burn, [burn_n] * jobs)), repeat=3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
