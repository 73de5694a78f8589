"""The conformance interpreter as bridge functions, for the TypeScript runner:

    python -m tulip_bridge serve --bind tcp://127.0.0.1:0 --module tulip_bridge.conformance_bridge

``conformance.run(scenario, shuffle_seed=None, loop="asyncio", real_clock=False)`` returns the
trace lines (on uvloop with ``loop="uvloop"``: loops.py; on the real clock with ``real_clock``). Each scenario runs on
its own virtual-time loop, which cannot run inside the serving loop: it runs in a worker
thread (a thread has no running loop, and every asyncio structure the run touches is per
loop or per thread).
"""

import asyncio
import platform

from .conformance import run_scenario
from .loops import loop_version
from .registry import Registry

bridge = Registry()


@bridge.register("conformance.implementation")
async def implementation(loop: str = "asyncio") -> dict:
    """Raises LoopUnavailable (with its `pip install` hint) when ``loop`` cannot run here."""
    return {"name": "cpython-asyncio", "language": "python", "version": platform.python_version(),
            "loop": loop_version(loop)}


@bridge.register("conformance.run")
async def run(scenario: dict, shuffle_seed: int | None = None, loop: str = "asyncio",
              real_clock: bool = False) -> list[str]:
    return await asyncio.to_thread(run_scenario, scenario, shuffle_seed, loop, real_clock)
