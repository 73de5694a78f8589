"""The event loops the Python side can run on: CPython's own asyncio loop (the reference) or
uvloop (`tulip conformance --python-loop uvloop`), to show where uvloop itself differs.

uvloop is imported only when asked for, so the default runs never depend on it.
"""

import platform

__all__ = ["LOOPS", "LoopUnavailable", "check", "loop_version", "new_uvloop"]

LOOPS = ("asyncio", "uvloop")


class LoopUnavailable(RuntimeError):
    """The loop asked for cannot run here (an unknown name, or uvloop not installed)."""


def _uvloop():
    try:
        import uvloop
    except ImportError as e:
        raise LoopUnavailable(f"--python-loop uvloop: uvloop cannot be imported ({e}); "
                              "pip install uvloop (or the project's dev extra)") from e
    return uvloop


def check(loop: str) -> None:
    """Raises LoopUnavailable unless ``loop`` can run here."""
    if loop not in LOOPS:
        raise LoopUnavailable(f"unknown loop {loop!r} (one of {', '.join(LOOPS)})")
    if loop == "uvloop":
        _uvloop()


def loop_version(loop: str) -> str:
    """What runs the scenarios, for reports: ``asyncio 3.11.7`` or ``uvloop 0.23.0``."""
    check(loop)
    return f"uvloop {_uvloop().__version__}" if loop == "uvloop" else f"asyncio {platform.python_version()}"


def new_uvloop():
    """A new uvloop event loop (the interpreter's loop when it runs on uvloop)."""
    return _uvloop().new_event_loop()
