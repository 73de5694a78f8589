"""The conformance trace: one line per event, values as tagged JSON (spec/README.md).

Both interpreters must print byte-identical lines for the same behaviour, so every rule
here is one a TypeScript implementation can follow exactly: no reprs, no ``Task-N``.
"""

import asyncio
import inspect
import json
import math
import sys

__all__ = ["format_time", "dumps", "Tagger", "ClockReading", "CLOCK_TAG"]

# How a ClockReading is traced; the TypeScript side matches it with any number (uvloop.ts).
CLOCK_TAG = {"clock": "-"}


def format_time(t: float | None) -> str:
    """'%.4f' (round half to even on the exact binary value); '-' on the real clock."""
    return "-" if t is None else "%.4f" % t


def dumps(value) -> str:
    """Compact JSON, non-ASCII kept as is (JavaScript's JSON.stringify does the same)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _is_transport(v) -> bool:
    """asyncio's transports, and uvloop's, which do not derive from asyncio.BaseTransport."""
    if isinstance(v, asyncio.BaseTransport):
        return True
    uv = sys.modules.get("uvloop.loop")  # imported only once a scenario runs on uvloop
    return uv is not None and isinstance(v, uv.UVBaseTransport)


class ClockReading(float):
    """A reading of a real clock (``loop.time()``, a timeout's or a timer's ``when()``) in a
    scenario written for the virtual one: uvloop has no virtual clock, so on uvloop every
    scenario runs on the machine's clock, whose readings (seconds since boot) cannot equal the
    virtual clock's. Its value stays the loop's own, which is what ``call_at``, ``timeout_at``,
    ``reschedule`` and asyncio's own comparisons with ``loop.time()`` need; the scenario's
    comparisons use ``since_start()`` (the interpreter's), as the virtual clock counts from 0.
    It is traced as CLOCK_TAG, so that comparing the trace with asyncio's virtual one skips the
    value. Sums and differences stay readings."""

    __slots__ = ("origin",)

    def __new__(cls, value: float, origin: float):
        self = super().__new__(cls, value)
        self.origin = origin  # the loop's time when the run began
        return self

    def since_start(self) -> float:
        return float(self) - self.origin

    def __add__(self, other):
        return ClockReading(float(self) + other, self.origin)

    __radd__ = __add__

    def __sub__(self, other):
        # The difference of two readings is a duration: a reading that counts from 0.
        if isinstance(other, ClockReading):
            return ClockReading(float(self) - float(other), 0.0)
        return ClockReading(float(self) - other, self.origin)


class Tagger:
    """Turns runtime values into tagged JSON. ``labels`` names objects by the variable
    they were first bound to; ``task_name`` names tasks (see the interpreter)."""

    def __init__(self, labels, task_name, coro_label):
        self._labels = labels
        self._task_name = task_name
        self._coro_label = coro_label

    def label(self, obj) -> str:
        entry = self._labels.get(id(obj))
        return entry[1] if entry is not None and entry[0] is obj else "?"

    def tag(self, v):
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            return v
        if isinstance(v, ClockReading):
            return CLOCK_TAG
        if isinstance(v, float):
            if not math.isfinite(v):
                return {"float": "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")}
            # 1.0 and 1 print alike in JavaScript, so integral floats are ints here.
            return int(v) if v.is_integer() and abs(v) < 2**53 else v
        if isinstance(v, (bytes, bytearray)):
            return {"bytes": bytes(v).decode("latin-1")}
        if isinstance(v, list):
            return [self.tag(x) for x in v]
        if isinstance(v, tuple):
            return {"tuple": [self.tag(x) for x in v]}
        if isinstance(v, (set, frozenset)):
            return {"set": sorted((self.tag(x) for x in v), key=dumps)}
        if isinstance(v, dict):
            return {"dict": [[self.tag(k), self.tag(x)] for k, x in v.items()]}
        if isinstance(v, BaseException):
            out = {"exc": type(v).__name__, "msg": str(v)}
            if isinstance(v, BaseExceptionGroup):
                out["exceptions"] = [self.tag(e) for e in v.exceptions]
            return out
        if isinstance(v, asyncio.Task):
            return {"task": self._task_name(v)}
        if asyncio.isfuture(v):
            return {"future": self.label(v)}
        if isinstance(v, asyncio.Handle):
            return {"handle": self.label(v)}
        if inspect.iscoroutine(v):
            return {"coro": self._coro_label(v)}
        # Transport and protocol classes differ between implementations: named by label.
        if _is_transport(v):
            return {"transport": self.label(v)}
        if isinstance(v, asyncio.BaseProtocol):
            return {"protocol": self.label(v)}
        return {"obj": type(v).__name__, "name": self.label(v)}
