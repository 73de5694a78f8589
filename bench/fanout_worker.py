"""The Python workers of bench/bridge_fanout.mjs: ``python -m tulip_bridge serve --connect EP
--module fanout_worker`` (or ``--bind``, for the direct-peer anchor).

    fanout_worker.py calibrate MS     prints {"iters": n}: loop iterations for MS ms of CPU time

``burn(n)`` is pure-Python CPU work (n iterations of an integer loop; a plain function, answered
inline); ``echo(x)`` returns its argument.
"""

import json
import sys
import time

from tulip_bridge import Registry

bridge = Registry()


def _spin(n):
    x = 0
    for i in range(n):
        x += i * i
    return x


@bridge.register()
def burn(n):
    _spin(n)
    return n


@bridge.register()
async def echo(x):
    return x


def calibrate(ms: float) -> int:
    n = 20000
    while True:  # grow until one run is long enough to time well
        t0 = time.process_time()
        _spin(n)
        if time.process_time() - t0 >= 0.02:
            break
        n *= 2
    best = min(_timed(n) for _ in range(7))  # the least disturbed run on a shared machine
    return max(1, round(n * (ms / 1000) / best))


def _timed(n):
    t0 = time.process_time()
    _spin(n)
    return time.process_time() - t0


if __name__ == "__main__" and sys.argv[1:2] == ["calibrate"]:
    print(json.dumps({"iters": calibrate(float(sys.argv[2]))}), flush=True)
