"""The Python half of mixed_service: coroutines the Node front end awaits per request."""

import asyncio
import statistics

from tulip_bridge import Registry

bridge = Registry()


@bridge.register("stats.mean")
async def mean(xs):
    await asyncio.sleep(0)  # a real coroutine: anything asyncio can await may go here
    return statistics.fmean(xs)


@bridge.register("greet")
async def greet(name, punctuation="!"):
    return f"Hello, {name}{punctuation} (from CPython asyncio)"
