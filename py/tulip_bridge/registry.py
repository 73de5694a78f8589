"""A module-level set of functions to expose, for ``python -m tulip_bridge serve --module``.

    # mymod.py
    from tulip_bridge import Registry

    bridge = Registry()

    @bridge.register("stats.mean")
    async def mean(xs):
        return sum(xs) / len(xs)

    @bridge.register()          # the name defaults to the function's own: "greet"
    async def greet(who):
        return await bridge.peer.call("ui.greet", who)   # call back the other side

``serve`` imports the module (named on its command line, never from the wire), registers every
``Registry`` found among its globals, and sets ``registry.peer`` to the serving peer.
"""

from __future__ import annotations

from typing import Callable

__all__ = ["Registry"]


class Registry(dict):
    """``{name: function}``; ``register`` is its decorator and ``peer`` the peer serving it."""

    peer = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.idempotent: set[str] = set()  # names registered with idempotent=True

    def register(self, name: str | None = None, *, idempotent: bool = False) -> Callable:
        """``idempotent=True``: running it twice for one call does no harm, so a caller that
        asks for ``retry`` may send a call again to another worker if this one dies."""
        def decorator(fn: Callable) -> Callable:
            key = name or fn.__name__
            self[key] = fn
            (self.idempotent.add if idempotent else self.idempotent.discard)(key)
            return fn
        return decorator
