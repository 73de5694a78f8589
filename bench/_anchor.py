"""What the Python anchor scripts share: the loop of the kind asked for, and best-of-5 timing.

Each anchor script runs `python SCRIPT asyncio|uvloop N` and prints JSON {case: ops_per_sec}.
"""
import asyncio
import json
import sys
import time


def new_loop(kind):
    """A new loop of `kind` ("asyncio" or "uvloop"), set as the current one."""
    if kind == "uvloop":
        import uvloop
        loop = uvloop.new_event_loop()
    else:
        loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    return loop


def best_rate(fn, loop, n):
    """Operations per second of fn(loop, n): best of 5, after a warm-up run at n // 4."""
    fn(loop, n // 4)
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        fn(loop, n)
        best = min(best, time.perf_counter() - t0)
    return n / best


def main(cases):
    """cases: {name: (fn, n_divisor)}; reads kind and N from argv, prints the JSON rates."""
    kind, n = sys.argv[1], int(sys.argv[2])
    loop = new_loop(kind)
    print(json.dumps({name: best_rate(fn, loop, n // div) for name, (fn, div) in cases.items()}))
