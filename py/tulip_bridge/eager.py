"""Eager task start on CPython 3.11 (what 3.12's ``eager_task_factory`` does).

A served call's coroutine takes its first step at once, inside the receive callback, instead
of one loop iteration later: an echo is answered within the same drain of the socket. The
step runs *as the task* (``current_task()`` is it), so ``asyncio.timeout``, ``TaskGroup`` and
contextvars behave as in any task; the task then carries on from where the step stopped.
"""

from __future__ import annotations

import asyncio
import contextvars
import types

__all__ = ["start_eagerly"]

_enter_task = asyncio.tasks._enter_task
_leave_task = asyncio.tasks._leave_task


@types.coroutine
def _continue(coro, state):
    """The task's body: picks up where the eager first step left the coroutine."""
    kind, value = state
    if kind == "return":
        return value
    if kind == "raise":
        raise value
    while True:  # hand the task what the first step awaits; a throw (cancel) goes to coro
        try:
            yield value
        except BaseException as exc:
            try:
                value = coro.throw(exc)
            except StopIteration as stop:
                return stop.value
            continue
        break
    return (yield from coro)


def start_eagerly(loop: asyncio.AbstractEventLoop, coro, ctx: contextvars.Context | None = None) -> tuple[asyncio.Task, list]:
    """Makes a task for ``coro`` (in ``ctx``, default a copy of the current context) and runs its
    first step now. Returns the task and how the step ended: ``["return", value]``,
    ``["raise", exc]`` or ``["yield", awaited]`` (still running)."""
    state = [None, None]
    if ctx is None:
        ctx = contextvars.copy_context()
    task = loop.create_task(_continue(coro, state), context=ctx)
    outer = asyncio.current_task(loop)
    if outer is not None:
        _leave_task(loop, outer)
    _enter_task(loop, task)
    try:
        state[0], state[1] = "yield", ctx.run(coro.send, None)
    except StopIteration as stop:
        state[0], state[1] = "return", stop.value
    except BaseException as exc:
        state[0], state[1] = "raise", exc
    finally:
        _leave_task(loop, task)
        if outer is not None:
            _enter_task(loop, outer)
    return task, state
