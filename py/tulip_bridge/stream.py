"""Streams: a remote async generator consumed with ``async for`` (``RemoteStream``), and the
credit that keeps a local producer from running ahead of its remote consumer (``_Credit``).

The consumer grants ``stream_window`` items up front and as many again (PULL) whenever it
has used half; the producer asks its generator for an item only while it holds credit.
"""

from __future__ import annotations

import asyncio
import collections

from .wire import END, ITEM, PULL, encode_frame

__all__ = ["RemoteStream"]


# The most items a producer runs ahead of its consumer, whatever window the consumer asks for:
# a consumer that grants 10**9 and never reads must not make the producer buffer 10**9 items.
MAX_STREAM_WINDOW = 1024


class _Credit:
    """How many items a stream's producer may still send (refilled by PULL frames), never more
    than the window: the consumer's, capped at MAX_STREAM_WINDOW."""

    __slots__ = ("n", "window", "_waiter")

    def __init__(self, n: int):
        self.window = min(n, MAX_STREAM_WINDOW)
        self.n = self.window
        self._waiter: asyncio.Future | None = None

    def add(self, k: int):
        self.n = min(self.n + k, self.window)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def take(self):
        while self.n <= 0:
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
        self.n -= 1


class RemoteStream:
    """An async iterator over a remote async generator, with credit-based flow control."""

    def __init__(self, peer: Peer, name, args, kwargs):
        self._peer = peer
        self._name, self._args, self._kwargs = name, args, kwargs
        self._cid: int | None = None
        self._items: collections.deque = collections.deque()
        self._waiter: asyncio.Future | None = None
        self._done = False  # END or ERROR arrived (the error is queued last)
        self._closed = False
        self._consumed = 0

    def __aiter__(self):
        return self

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.aclose()


    def _on_frame(self, kind, value):
        if self._done:
            return
        if kind == ITEM:
            self._items.append((True, value))
        elif kind == END:
            self._items.append((False, None))
            self._finish()
        else:
            self._items.append((False, value if isinstance(value, BaseException) else RuntimeError(repr(value))))
            self._finish()
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _finish(self):
        self._done = True
        self._peer._pending.pop(self._cid, None)

    async def __anext__(self):
        if self._closed:
            raise StopAsyncIteration
        if self._cid is None:
            if self._peer._current is None:
                await self._peer.wait_for_peer(self._peer.heartbeat)
            self._cid = self._peer._open_stream(self, self._name, self._args, self._kwargs)
        while not self._items:
            self._waiter = self._peer._loop.create_future()
            try:
                await self._waiter
            except asyncio.CancelledError:
                await self.aclose()
                raise
        is_item, value = self._items.popleft()
        if not is_item:
            self._closed = True
            if value is None:
                raise StopAsyncIteration
            raise value
        self._consumed += 1
        if self._consumed * 2 >= self._peer.stream_window:  # ask for more once half is used
            p = self._peer._pending.get(self._cid)
            if p is not None:
                self._peer._send(p.remote, encode_frame(PULL, self._cid, self._consumed))
            self._consumed = 0
        return value

    async def aclose(self):
        """Stops iterating; the remote generator is closed (its ``finally`` runs)."""
        self._close_now()

    def _close_now(self):
        if self._closed:
            return
        self._closed = True
        if self._cid is not None and not self._done:
            p = self._peer._pending.pop(self._cid, None)
            if p is not None and not self._peer._closed:
                self._peer._send_cancel(p, self._cid, "stream closed")
        self._done = True

    def __del__(self):
        # Leaving `async for` early drops the iterator: close the remote generator then.
        try:
            if not self._closed and self._cid is not None and not self._peer._loop.is_closed():
                self._close_now()
        except Exception:
            pass
