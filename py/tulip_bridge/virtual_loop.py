"""A virtual-time asyncio event loop for CPython, for the conformance suite.

Like test_asyncio's ``utils.TestLoop``: ``time()`` is a number the loop owns, starting
at 0.0, and whenever ``_run_once`` would block (nothing ready, a timer pending) the clock
jumps *exactly* to the earliest timer's deadline. The loop is a real
``asyncio.BaseEventLoop`` subclass and ``_run_once`` is CPython's own, so callback, timer
and task ordering are CPython's, not a model of them. The only additions:

- ``iteration``: how many times ``_run_once`` has started (the trace's loop-iteration
  column; CPython keeps no such counter). tulip's virtual loop counts the same thing.
- a loop that would block forever (nothing ready, no timer) raises ``Deadlock`` instead,
  and one that runs more than ``max_iterations`` iterations raises ``IterationLimit``.
"""

import asyncio
from asyncio.base_events import MAXIMUM_SELECT_TIMEOUT

__all__ = ["VirtualTimeLoop", "Deadlock", "IterationLimit"]

# Same value as TestLoop; CPython pops a timer when `when < time() + resolution`, so it
# must be positive for a timer to fire at exactly its deadline.
CLOCK_RESOLUTION = 1e-9


class Deadlock(Exception):
    """Nothing is ready and no timer is pending: a real loop would wait forever."""


class IterationLimit(Exception):
    """The scenario ran more loop iterations than allowed."""


class _VirtualSelector:
    """Stands in for the selector: no I/O; ``select(timeout)`` moves the clock instead."""

    def __init__(self, loop: "VirtualTimeLoop") -> None:
        self._loop = loop

    def select(self, timeout):
        loop = self._loop
        if timeout is None:
            raise Deadlock("nothing ready and no timer pending")
        if timeout >= MAXIMUM_SELECT_TIMEOUT:
            # CPython caps a select at one day and wakes up for nothing; so does this.
            loop._vtime += timeout
        elif timeout > 0:
            # _run_once has already dropped cancelled timers from the heap's head, so
            # _scheduled[0] is the timer this timeout was computed from. Jump to its
            # deadline exactly (not time()+timeout, which can round differently).
            loop._vtime = loop._scheduled[0]._when
        return []

    def close(self) -> None:
        pass


class VirtualTimeLoop(asyncio.BaseEventLoop):
    def __init__(self, max_iterations: int = 100_000) -> None:
        super().__init__()
        self._vtime = 0.0
        self._clock_resolution = CLOCK_RESOLUTION
        self._selector = _VirtualSelector(self)
        self.iteration = 0
        self.max_iterations = max_iterations

    def time(self) -> float:
        return self._vtime

    def _run_once(self) -> None:
        self.iteration += 1
        if self.iteration > self.max_iterations:
            raise IterationLimit(f"more than {self.max_iterations} loop iterations")
        super()._run_once()

    def _process_events(self, event_list) -> None:
        pass

    def _write_to_self(self) -> None:
        pass
