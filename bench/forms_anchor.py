"""The anchors for bench/forms.bench.mjs: the coroutine-form grid's programs on CPython asyncio or uvloop.

python forms_anchor.py asyncio|uvloop
    reads commands on stdin, one per line, and answers each with one JSON line:
        hello                        -> {"ok": true}
        WORKLOAD TASKS OPS MAXSIZE   -> {"rate": ops_per_sec, "n": ops_done} or {"error": "..."}
    (WORKLOAD: sleep, spawn or queue; one run, timed; the Node side does the warm-up and the
    best-of-rounds, interleaving these runs with its own). One loop serves every command.
python forms_anchor.py asyncio|uvloop mem TASKS rss|tracemalloc
    -> {"bytes": growth, "n": TASKS}: the memory growth while TASKS tasks each await one
    Event.wait(), measured by RSS (/proc/self/statm) or by tracemalloc (Python allocations
    only), each in a fresh process.

The programs are those of bench/forms_plain.mjs, written as people write them: `async def`,
`asyncio.create_task(worker())`, `asyncio.gather`.
"""
import asyncio
import gc
import json
import os
import sys
import time

from _anchor import new_loop


class Counter:
    __slots__ = ("n", "sum")

    def __init__(self):
        self.n = 0
        self.sum = 0


# sleep(0) steps: each of `tasks` workers loops `await asyncio.sleep(0)` k times.
async def sleep_worker(k, c):
    for _ in range(k):
        await asyncio.sleep(0)
        c.n += 1


async def sleep_main(tasks, k, maxsize, c):
    workers = [asyncio.create_task(sleep_worker(k, c)) for _ in range(tasks)]
    await asyncio.gather(*workers)


# task create+await: each of `tasks` workers creates a child task and awaits it, k times.
async def child(c):
    c.n += 1
    return 1


async def spawn_worker(k, c):
    total = 0
    for _ in range(k):
        total += await asyncio.create_task(child(c))
    c.sum += total


async def spawn_main(tasks, k, maxsize, c):
    workers = [asyncio.create_task(spawn_worker(k, c)) for _ in range(tasks)]
    await asyncio.gather(*workers)


# Queue put/get pairs: `tasks` producer/consumer pairs, each pair through its own Queue(maxsize).
async def producer(q, k):
    for i in range(k):
        await q.put(i)


async def consumer(q, k, c):
    total = 0
    for _ in range(k):
        total += await q.get()
        c.n += 1
    c.sum += total


async def queue_main(tasks, k, maxsize, c):
    workers = []
    for _ in range(tasks):
        q = asyncio.Queue(maxsize)
        workers.append(asyncio.create_task(producer(q, k)))
        workers.append(asyncio.create_task(consumer(q, k, c)))
    await asyncio.gather(*workers)


MAINS = {"sleep": sleep_main, "spawn": spawn_main, "queue": queue_main}


def expected_sum(workload, tasks, k):
    if workload == "spawn":
        return tasks * k
    if workload == "queue":
        return tasks * k * (k - 1) // 2
    return 0


def run_cell(loop, workload, tasks, ops, maxsize):
    k = ops // tasks
    c = Counter()
    t0 = time.perf_counter()
    loop.run_until_complete(MAINS[workload](tasks, k, maxsize, c))
    dt = time.perf_counter() - t0
    if c.n != tasks * k or c.sum != expected_sum(workload, tasks, k):
        return {"error": f"miscount: {c.n} ops (sum {c.sum}), expected {tasks * k} (sum {expected_sum(workload, tasks, k)})"}
    return {"rate": c.n / dt, "n": c.n}


def worker(kind):
    loop = new_loop(kind)
    for line in sys.stdin:
        words = line.split()
        if words == ["hello"]:
            answer = {"ok": True}
        else:
            try:
                answer = run_cell(loop, words[0], int(words[1]), int(words[2]), int(words[3]))
            except Exception as e:  # reported as a failed cell, not a crashed bench
                answer = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(answer), flush=True)
    loop.close()


# Bytes per pending task: `tasks` tasks each awaiting one Event.
async def waiter(ev, c):
    await ev.wait()
    c.n += 1


async def mem_main(tasks, c, measure):
    ev = asyncio.Event()
    waiters = [asyncio.create_task(waiter(ev, c)) for _ in range(tasks)]
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    c.sum = measure()
    ev.set()
    await asyncio.gather(*waiters)


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def mem(kind, tasks, how):
    loop = new_loop(kind)
    loop.run_until_complete(mem_main(1000, Counter(), lambda: 0))  # warm-up: imports, free lists
    gc.collect()
    if how == "tracemalloc":
        import tracemalloc
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        read = lambda: tracemalloc.get_traced_memory()[0]  # noqa: E731
    else:
        before = rss()
        read = rss
    c = Counter()

    def measure():
        gc.collect()
        return read() - before
    loop.run_until_complete(mem_main(tasks, c, measure))
    loop.close()
    if c.n != tasks:
        print(json.dumps({"error": f"miscount: {c.n} waiters woke, expected {tasks}"}))
    else:
        print(json.dumps({"bytes": c.sum, "n": tasks}))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[2] == "mem":
        mem(sys.argv[1], int(sys.argv[3]), sys.argv[4])
    else:
        worker(sys.argv[1])
