"""A bridge peer on ``zmq.asyncio``: call the other side's functions, serve your own.

    peer = await Peer.bind("tcp://127.0.0.1:5555")      # or: await Peer.connect(...)

    @peer.register("stats.mean")
    async def mean(xs):
        return sum(xs) / len(xs)

    total = await peer.call("add", 1, 2)                  # a Node async function
    r = await peer.invoke("f", args=(1,), kwargs={"scale": 2}, timeout=1.5)
    async for row in peer.stream("db.rows", "q"):         # a Node async generator
        ...

A bound peer (ROUTER) serves any number of connected peers and keeps them apart: replies,
cancels and credits count only from the connection the call went to; a call made while serving
one (in its task, or a task started from it) goes back to its caller, any other to the first
live peer that greeted — or, with ``fanout=True``, to the live peer with the fewest of our calls
in flight (ties round-robin), each call pinned to the worker that took it (``workers()`` lists
them; ``invoke(..., retry=n)`` re-sends a call whose worker died if it registered the function
as idempotent). A connected peer (DEALER) talks to the one it connected to.

Guarantees: each call ends in a result or an exception, and runs at most once. Cancelling
the awaiting task cancels the remote task; a timeout travels with the call; a peer that
is silent for ``heartbeat`` seconds is dead: its pending calls fail with ConnectionError and
the tasks run for it are cancelled; when it comes back, calls work again.
"""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import logging
import time
import uuid
import weakref
from typing import Callable

import zmq
import zmq.asyncio
import zmq.backend
from zmq.utils.monitor import parse_monitor_message

from . import wire
from .codec import UnknownFunctionError
from .eager import start_eagerly
from .security import check_endpoint, apply_curve
from .stream import RemoteStream, _Credit
from .wire import CALL, CANCEL, END, ERROR, HEARTBEAT, ITEM, PULL, RESULT, STREAM

__all__ = ["Peer"]

log = logging.getLogger("tulip_bridge")

DEFAULT_HEARTBEAT = 5.0
DEFAULT_MAX_MESSAGE = 16 * 1024 * 1024
DEFAULT_STREAM_WINDOW = 16

# The hot path calls libzmq's bindings directly, with plain-int flags: pyzmq's Python-level
# wrappers (send_multipart, enum flags) cost more than the send itself for small frames.
_base_send = zmq.backend.Socket.send
_base_recv = zmq.backend.Socket.recv
_base_get = zmq.backend.Socket.get
_NOBLOCK = int(zmq.NOBLOCK)
_SNDMORE = int(zmq.SNDMORE)
_RCVMORE = int(zmq.RCVMORE)
_MORE_NOBLOCK = _NOBLOCK | _SNDMORE

# In a served call's context: the peer and remote it came from, so the calls it makes go back there.
_serving: contextvars.ContextVar = contextvars.ContextVar("tulip_bridge.serving", default=None)


class _Remote:
    """One peer on the other end: its routing identity, session and liveness."""

    __slots__ = ("identity", "session", "last_seen", "served", "heartbeat", "fd", "in_flight", "idempotent", "key")

    def __init__(self, identity: bytes | None):
        self.identity = identity
        self.session: str | None = None
        self.last_seen = time.monotonic()
        self.served: dict[int, asyncio.Task] = {}
        self.heartbeat = 0.0  # the other side's, from its HEARTBEAT frames
        self.fd: int | None = None  # a bound peer's: the connection it came on (for disconnects)
        self.in_flight = 0  # our calls and streams in flight on it (what fan-out balances)
        self.idempotent: frozenset = frozenset()  # names it registered as idempotent (its HEARTBEAT)
        self.key: str | None = None  # its CURVE public key (z85), when authorized_keys admitted it


class _PendingDict(dict):
    """Our calls in flight, keeping each remote's count of them (fan-out picks the least busy).
    ``get`` stays dict's own; adding and removing keep the counts."""

    def __setitem__(self, cid, p):
        old = dict.get(self, cid)
        if old is not p:
            if old is not None:
                old.remote.in_flight -= 1
            p.remote.in_flight += 1
        dict.__setitem__(self, cid, p)

    def __delitem__(self, cid):
        dict.pop(self, cid).remote.in_flight -= 1

    def pop(self, cid, *default):
        p = dict.pop(self, cid, None)
        if p is None:
            if default:
                return default[0]
            raise KeyError(cid)
        p.remote.in_flight -= 1
        return p


class _Pending:
    __slots__ = ("remote", "fut", "stream", "timer", "entry", "sent_at", "retry")

    def __init__(self, remote, fut, stream=None, retry=None):
        self.sent_at = time.monotonic()
        self.remote = remote
        self.fut = fut
        self.stream = stream
        self.timer = None
        self.entry = None  # its frame while still in the send queue
        self.retry = retry  # [name, args, kwargs, deadline or None, retries left], when asked for


class Peer:
    """A symmetric bridge peer. Make one with ``await Peer.bind(...)`` or ``Peer.connect(...)``."""

    def __init__(self, sock: zmq.asyncio.Socket, bound: bool, *, heartbeat: float = DEFAULT_HEARTBEAT,
                 max_message_size: int = DEFAULT_MAX_MESSAGE, stream_window: int = DEFAULT_STREAM_WINDOW,
                 fanout: bool = False):
        self._sock = sock
        self._raw = zmq.Socket.shadow(sock.underlying)  # non-blocking sends/receives without a future
        self._bound = bound
        self.heartbeat = heartbeat
        self.max_message_size = max_message_size
        self.stream_window = max(1, stream_window)
        self.session = uuid.uuid4().hex
        self._loop = asyncio.get_running_loop()
        self._log = _RateLimitedLog(log, self._loop)
        self._functions: dict[str, Callable] = {}
        self._remotes: dict[bytes | None, _Remote] = {}
        self._current: _Remote | None = None if bound else self._remote_for(None)
        self._connected = asyncio.Event()
        self._pending: dict[int, _Pending] = _PendingDict()
        self._fanout = bound and fanout
        self._live: list[_Remote] = []  # a bound peer's greeted, live remotes, in greeting order
        self._rr = 0
        self._idempotent: set[str] = set()
        self._authorized = False  # CURVE authorized_keys: each remote is known by its key
        self._ids = itertools.count(1)
        self._outbox: list = []  # [remote, frame bytes, sent] entries waiting to leave
        self._events_scheduled = False
        self._retry: asyncio.TimerHandle | None = None
        self._closed = False
        self._closing = False
        self._hb_entry: list | None = None
        self._auth = None  # a ZAP authenticator, when CURVE admits only some keys
        # One reader on the socket's FD drives receiving and the send queue (no zmq.asyncio
        # futures per message); a task pings and checks liveness.
        self._loop.add_reader(self._raw.FD, self._on_events)
        self._tasks = [self._loop.create_task(self._heartbeat_loop())]
        self._schedule_events()
        # ZeroMQ's socket monitor says when a connection closes: what was in flight on it fails
        # at once, not a heartbeat later. A bound peer knows each remote's connection by the
        # fd its first message came on (_recv_now).
        self._by_fd: dict[int, _Remote] = {}
        self._stale_fds: dict[int, int] = {}
        self._new_fd: int | None = None
        self._new_key: str | None = None
        self._monitor = self._start_monitor()

    # ---------------------------------------------------------------- making one

    @classmethod
    async def bind(cls, endpoint: str, *, allow_remote: bool = False, curve: dict | None = None,
                   context: zmq.asyncio.Context | None = None, **opts) -> "Peer":
        """A ROUTER peer bound to ``endpoint`` (loopback only unless ``allow_remote``).

        ``curve={"secret_key": ..., "public_key": ...}`` turns on CURVE encryption (keys
        from ``zmq.curve_keypair()``); add ``"authorized_keys": [...]`` to admit only those clients.
        The bound endpoint (with the real port for ``tcp://127.0.0.1:0``) is ``peer.endpoint``.
        """
        check_endpoint(endpoint, allow_remote)
        ctx = context or zmq.asyncio.Context.instance()
        sock = ctx.socket(zmq.ROUTER)
        sock.setsockopt(zmq.LINGER, 0)
        # No handover: a second connection claiming a connected peer's routing id is refused,
        # not given its traffic.
        sock.setsockopt(zmq.MAXMSGSIZE, _hard_limit(opts))
        auth = apply_curve(sock, curve, server=True)
        sock.bind(endpoint)
        peer = cls(sock, True, **opts)
        peer._auth = auth
        peer._authorized = auth is not None
        peer.endpoint = sock.getsockopt_string(zmq.LAST_ENDPOINT)
        return peer

    @classmethod
    async def connect(cls, endpoint: str, *, allow_remote: bool = False, curve: dict | None = None,
                      context: zmq.asyncio.Context | None = None, **opts) -> "Peer":
        """A DEALER peer connected to ``endpoint``; reconnects by itself if the other side restarts.

        ``curve={"server_key": ..., "public_key": ..., "secret_key": ...}`` for a CURVE server.
        """
        check_endpoint(endpoint, allow_remote)
        ctx = context or zmq.asyncio.Context.instance()
        sock = ctx.socket(zmq.DEALER)
        sock.setsockopt(zmq.LINGER, 0)
        # Queue nothing inside ZeroMQ for a connection that is not up: our own queue keeps
        # frames, so a call that failed meanwhile is never sent later.
        sock.setsockopt(zmq.IMMEDIATE, 1)
        sock.setsockopt(zmq.RECONNECT_IVL, 100)
        sock.setsockopt(zmq.RECONNECT_IVL_MAX, int(min(1000, opts.get("heartbeat", DEFAULT_HEARTBEAT) * 250)))
        sock.setsockopt(zmq.MAXMSGSIZE, _hard_limit(opts))
        apply_curve(sock, curve, server=False)
        if curve:  # known by its key: a bound peer admitting only authorized keys lists it under this
            pub = curve["public_key"]
            sock.setsockopt(zmq.ROUTING_ID, pub.encode() if isinstance(pub, str) else pub)
        sock.connect(endpoint)
        peer = cls(sock, False, **opts)
        peer.endpoint = endpoint
        peer._send_heartbeat(peer._current)  # say hello at once
        return peer

    # ---------------------------------------------------------------- serving

    def register(self, name: str, fn: Callable | None = None, *, idempotent: bool = False):
        """Exposes ``fn`` (a coroutine function, plain function or async generator function)
        under ``name``. Use as ``peer.register("name", fn)`` or as a decorator ``@peer.register("name")``.

        ``idempotent=True``: running it twice for one call does no harm, so a caller that asks
        for ``retry`` may send a call again to another worker if this one dies running it (the
        other side learns the names from our HEARTBEAT)."""
        if fn is None:
            def decorator(f):
                self.register(name, f, idempotent=idempotent)
                return f
            return decorator
        self._functions[name] = fn
        self._set_idempotent([name] if idempotent else [], [] if idempotent else [name])
        return fn

    def register_all(self, registry: dict[str, Callable]) -> None:
        """Registers every function of a ``{name: function}`` mapping (see ``tulip_bridge.registry``;
        a Registry's ``idempotent`` names stay idempotent)."""
        self._functions.update(registry)
        marked = getattr(registry, "idempotent", ())
        self._set_idempotent([n for n in registry if n in marked], [n for n in registry if n not in marked])

    def _set_idempotent(self, add, remove) -> None:
        before = set(self._idempotent)
        self._idempotent.update(add)
        self._idempotent.difference_update(remove)
        if self._idempotent != before and not self._closed:
            for remote in list(self._remotes.values()):  # tell them now
                self._send_heartbeat(remote, news=True)

    # ---------------------------------------------------------------- calling

    async def call(self, name: str, *args, **kwargs):
        """Calls the remote function ``name`` with these arguments: ``await peer.call(...)``
        gives its result. A coroutine, as in TS (``asyncio.create_task(peer.call(...))``,
        ``TaskGroup``, ``gather``, ``wait_for``, ``shield``): nothing is sent until it first
        runs. ``invoke`` sends at once and returns the Future."""
        return await self.invoke(name, args, kwargs or None)

    def invoke(self, name: str, args=(), kwargs: dict | None = None, timeout: float | None = None,
               retry: int = 0) -> asyncio.Future:
        """Calls ``name(*args, **kwargs)`` remotely; returns a Future of its result.

        Cancelling the Future (or the task awaiting it) cancels the remote task. With
        ``timeout`` (seconds) the remote cancels its task when it passes and the Future
        fails with TimeoutError. With ``retry=n``, if the peer that took the call dies before
        answering and it registered ``name`` as idempotent, the call is sent again (to another
        worker of a ``fanout`` peer, or to the same peer once it is back), up to n times within
        the original timeout; otherwise it fails with ConnectionError and never runs twice.
        """
        if timeout is not None:
            if type(timeout) not in (int, float):
                raise TypeError(f"timeout must be a number of seconds or None, not {type(timeout).__name__}")
            if not timeout >= 0:
                raise ValueError(f"timeout must be >= 0, not {timeout!r}")
        if type(retry) is not int:
            raise TypeError(f"retry must be an int, not {type(retry).__name__}")
        if retry < 0:
            raise ValueError(f"retry must be an int >= 0, not {retry!r}")
        fut = self._loop.create_future()
        again = None
        if retry:
            again = [name, args, kwargs, None if timeout is None else time.monotonic() + timeout, retry]
        self._route(fut, name, args, kwargs, timeout, again)
        return fut

    def _route(self, fut, name, args, kwargs, timeout, again):
        """Sends a call where it goes: back to the peer whose call made it (on a bound peer),
        else to this peer's own target — the one it is connected to, the first live peer of a
        bound one, or with ``fanout`` the live peer with the fewest of our calls in flight (ties
        round-robin)."""
        caller = self._caller_remote()
        if caller is not None:
            if caller.session is None:
                fut.set_exception(ConnectionError("the peer whose call made this one is gone"))
            else:
                self._start_call(fut, next(self._ids), caller, name, args, kwargs, timeout)
            return
        remote = self._own_target()
        if remote is None:  # a bound peer no one (live) has greeted yet: wait for one, up to a heartbeat
            self._loop.create_task(self._invoke_when_connected(fut, name, args, kwargs, timeout, again))
            return
        self._start_call(fut, next(self._ids), remote, name, args, kwargs, timeout, again)

    def _own_target(self) -> _Remote | None:
        if not self._fanout:
            return self._current
        live = self._live
        n = len(live)
        if n <= 1:
            return live[0] if n else None
        best, low, rr = 0, None, self._rr
        for i in range(n):
            k = (rr + i) % n
            c = live[k].in_flight
            if low is None or c < low:
                best, low = k, c
        self._rr = (best + 1) % n
        return live[best]

    def workers(self) -> list[dict]:
        """A bound peer's live connected peers (fan-out's workers), in the order they greeted:
        ``{"id": routing id (hex), "key": CURVE public key (z85) or None, "session", "in_flight"}``.
        With ``authorized_keys`` each is known by its key (the one ZAP admitted its connection with)."""
        return [{"id": r.identity.hex(), "key": r.key, "session": r.session, "in_flight": r.in_flight}
                for r in self._live]

    async def _invoke_when_connected(self, fut, name, args, kwargs, timeout, again):
        t0 = time.monotonic()
        try:
            await asyncio.wait_for(self._connected.wait(), self.heartbeat)
        except asyncio.TimeoutError:
            if not fut.done():
                fut.set_exception(ConnectionError(f"no peer connected to {self.endpoint} within {self.heartbeat}s"))
            return
        if fut.done():
            return
        remote = self._own_target()
        if remote is None:
            fut.set_exception(ConnectionError(f"no peer connected to {self.endpoint}"))
            return
        if timeout is not None:
            timeout -= time.monotonic() - t0
            if timeout <= 0:
                fut.set_exception(TimeoutError("remote call timed out before a peer connected"))
                return
        self._start_call(fut, next(self._ids), remote, name, args, kwargs, timeout, again)

    def _start_call(self, fut, cid, remote, name, args, kwargs, timeout, again=None):
        try:
            data = wire.encode_frame(CALL, cid, name, list(args), kwargs or None, timeout, remote.session)
            self._check_size(data)
        except Exception as e:
            fut.set_exception(e)
            return
        p = self._pending[cid] = _Pending(remote, fut, retry=again)
        if timeout is not None:
            p.timer = self._loop.call_later(timeout, self._call_timed_out, cid, timeout)
        fut.add_done_callback(lambda f: self._call_done(cid, f))
        p.entry = self._send(remote, data)

    def _call_timed_out(self, cid, timeout):
        p = self._pending.get(cid)
        if p is not None and not p.fut.done():
            p.fut.set_exception(TimeoutError(f"remote call timed out after {timeout}s"))
            self._send_cancel(p, cid, "timeout")

    def _call_done(self, cid, fut):
        p = self._pending.pop(cid, None)
        if p is None:
            return
        if p.timer is not None:
            p.timer.cancel()
        if fut.cancelled():
            self._send_cancel(p, cid, None)

    def _send_cancel(self, p: _Pending, cid: int, msg):
        if p.entry is not None and p.entry[2] is False:  # never left our queue: just drop it
            p.entry[2] = None
            return
        self._send(p.remote, wire.encode_frame(CANCEL, cid, msg))

    def _caller_remote(self) -> _Remote | None:
        """A bound peer's calls made while serving a call (in its task, or one started from it)
        go back to the peer that made it, never to another client."""
        if not self._bound:
            return None
        s = _serving.get()
        return s[1] if s is not None and s[0] is self else None

    def _serving_context(self, remote: _Remote) -> contextvars.Context:
        ctx = contextvars.copy_context()
        if self._bound:
            ctx.run(_serving.set, (self, remote))
        return ctx

    def _open_stream(self, stream: "RemoteStream", name, args, kwargs) -> int:
        """Sends STREAM for ``stream``; returns its id."""
        remote = self._caller_remote() or self._own_target()
        if remote is None or (self._bound and remote.session is None):
            raise ConnectionError("no peer connected")
        cid = next(self._ids)
        data = wire.encode_frame(STREAM, cid, name, list(args), kwargs, self.stream_window, remote.session)
        self._check_size(data)
        # A weak reference: dropping the iterator (leaving `async for` early) must free it,
        # so that its __del__ closes the remote generator.
        p = self._pending[cid] = _Pending(remote, None, stream=weakref.ref(stream))
        p.entry = self._send(remote, data)
        return cid

    def stream(self, name: str, *args, **kwargs) -> "RemoteStream":
        """Iterates the remote async generator ``name(*args, **kwargs)``: ``async for x in peer.stream(...)``.

        At most ``stream_window`` items are in flight; leaving the loop early (break,
        exception, or ``aclose()``) closes the remote generator.
        """
        return RemoteStream(self, name, args, kwargs or None)

    async def wait_for_peer(self, timeout: float | None = None) -> None:
        """Waits until a peer has greeted this one."""
        await asyncio.wait_for(self._connected.wait(), timeout)

    # ---------------------------------------------------------------- sending

    def _send(self, remote: _Remote, data: bytes) -> list:
        """Queues one frame; it leaves when the loop next looks at the socket (this loop
        iteration's frames for one peer leave together, in one message). Returns its entry
        ``[remote, data, sent]``: ``sent`` is False while queued, None once dropped."""
        entry = [remote, data, False]
        self._outbox.append(entry)
        self._schedule_events()
        return entry

    def _send_now(self, remote: _Remote, body: bytes) -> None:
        """One message, without blocking (zmq.Again if it cannot go now). With ROUTER's
        routing id first: ZeroMQ queues a multipart message whole or not at all."""
        raw = self._raw
        if self._bound:
            _base_send(raw, remote.identity, _MORE_NOBLOCK)
        _base_send(raw, body, _NOBLOCK)

    def _recv_now(self) -> list:
        raw = self._raw
        parts = [_base_recv(raw, _NOBLOCK)]
        if self._bound and parts[0] not in self._remotes and _base_get(raw, _RCVMORE):
            frame = raw.recv(_NOBLOCK, copy=False)  # once per new peer: the connection it is on
            self._new_fd = frame.get(zmq.SRCFD)
            if self._authorized:  # and the key ZAP admitted that connection with
                try:
                    self._new_key = frame.get("User-Id")
                except zmq.ZMQError:
                    self._new_key = None
            parts.append(frame.bytes)
        while _base_get(raw, _RCVMORE):
            parts.append(_base_recv(raw, _NOBLOCK))
        return parts

    def _flush(self) -> bool:
        """Sends queued frames, batched per peer, while the socket takes them; frames dropped
        meanwhile are skipped. Returns whether anything was sent."""
        out = self._outbox
        n = len(out)
        i = 0
        sent = False
        while i < n:
            first = out[i]
            if first[2] is not False:
                i += 1
                continue
            remote = first[0]
            batch = [first]
            size = len(first[1])
            j = i + 1
            while j < n and len(batch) < wire.BATCH_FRAMES:
                e = out[j]
                if e[0] is not remote or size + len(e[1]) > wire.BATCH_BYTES:
                    break
                j += 1
                if e[2] is False:
                    batch.append(e)
                    size += len(e[1])
            body = first[1] if len(batch) == 1 else b"".join([e[1] for e in batch])
            try:
                self._send_now(remote, body)
            except zmq.Again:
                break
            except zmq.ZMQError as e:
                if not self._closed and e.errno != zmq.EHOSTUNREACH:
                    self._log.warning("tulip_bridge: send failed: %s", e)
            for e in batch:
                e[2] = True
            sent = True
            i = j
        del out[:i]
        return sent

    def _schedule_events(self) -> None:
        if not self._events_scheduled and not self._closed:
            self._events_scheduled = True
            self._loop.call_soon(self._on_events)

    def _on_events(self) -> None:
        """The socket's FD fired, or frames wait to leave: send what is queued, then handle
        every frame already here, up to a batch, and send what that produced."""
        self._events_scheduled = False
        if self._closed:
            return
        if self._outbox:
            self._flush()
        recv = self._recv_now
        for _ in range(1000):
            try:
                frames = recv()  # bytes: cheaper than Frame objects for small messages
            except zmq.Again:
                break
            self._handle(frames)
        else:
            self._schedule_events()  # more may be waiting: carry on next loop iteration
        if self._outbox and self._flush():
            # A send may swallow the socket's read edge (its FD is edge-triggered): look again.
            self._schedule_events()
        if self._outbox and self._retry is None:  # no room: look again shortly
            self._retry = self._loop.call_later(0.05, self._retry_flush)

    def _retry_flush(self) -> None:
        self._retry = None
        self._on_events()

    def _check_size(self, data: bytes):
        if len(data) > self.max_message_size:
            raise ValueError(f"message of {len(data)} bytes exceeds the limit of {self.max_message_size}")

    def _reply(self, remote: _Remote, kind: int, cid: int, value):
        try:
            data = wire.encode_frame(kind, cid, value)
            self._check_size(data)
        except Exception as e:  # an unencodable or oversized result: say so instead
            data = wire.encode_frame(ERROR, cid, e if kind != ERROR else TypeError(str(e)))
        self._send(remote, data)

    def _send_heartbeat(self, remote: _Remote, news: bool = False):
        if remote is None:
            return
        if self._idempotent:
            frame = wire.encode_frame(HEARTBEAT, 0, self.session, self.heartbeat, sorted(self._idempotent))
        else:
            frame = wire.encode_frame(HEARTBEAT, 0, self.session, self.heartbeat)
        if not news and self._hb_entry is not None and self._hb_entry[2] is False:
            return  # one is still queued (no connection yet): do not pile them up
        entry = self._send(remote, frame)
        if not self._bound:
            self._hb_entry = entry

    # ---------------------------------------------------------------- receiving

    def _handle(self, frames):
        if self._bound:
            if len(frames) != 2:
                self._log.warning("tulip_bridge: dropped a message of %d parts after routing (want 1)", len(frames))
                return
            identity, data = frames
        else:
            if len(frames) != 1:
                self._log.warning("tulip_bridge: dropped a message of %d parts (want 1)", len(frames))
                return
            identity, data = None, frames[0]
        remote = self._remotes.get(identity) or self._remote_for(identity)
        if self._new_fd is not None:
            self._connection_is(remote, self._new_fd)
        remote.last_seen = time.monotonic()
        for item in wire.decode_frames(data):
            if isinstance(item, wire.BadFrame):
                self._refuse(remote, item.kind, item.cid, item.reply_as, str(item))
                continue
            if isinstance(item, wire.ProtocolError):
                self._log.warning("tulip_bridge: dropped the rest of a message: %s", item)
                break
            value, size = item
            if size > self.max_message_size:
                kind, cid = wire.kind_and_id(value)
                self._refuse(remote, kind, cid, ValueError,
                             f"message of {size} bytes exceeds the limit of {self.max_message_size}")
                continue
            try:
                frame = wire.check_frame(value)
            except wire.ProtocolError as e:
                kind, cid = wire.kind_and_id(value)
                self._refuse(remote, kind, cid, e.reply_as, str(e))
                continue
            try:
                self._dispatch(remote, frame)
            except Exception:
                self._log.warning("tulip_bridge: error handling a %s frame", wire.KIND_NAMES.get(frame[0]), exc_info=True)

    def _refuse(self, remote: _Remote, kind, cid, exc_type, why: str):
        """A frame that does not decode, is too large or is ill-typed: a call is answered with
        an error naming what was wrong (its function never runs); a reply to one of our calls
        fails that call; anything else is logged."""
        if kind in (CALL, STREAM) and cid is not None:
            self._log.warning("tulip_bridge: refused %s %d: %s", wire.KIND_NAMES[kind], cid, why)
            self._reply(remote, ERROR, cid, exc_type(f"{wire.KIND_NAMES[kind]} {cid} refused: {why}"))
            return
        p = self._pending.get(cid) if kind in (RESULT, ERROR, ITEM, END) else None
        if p is not None and p.remote is remote:
            self._log.warning("tulip_bridge: bad %s for call %d: %s", wire.KIND_NAMES[kind], cid, why)
            self._fail_pending(cid, p, exc_type(f"bad {wire.KIND_NAMES[kind]} frame for this call: {why}"))
            self._send_cancel(p, cid, "bad reply")
            return
        self._log.warning("tulip_bridge: dropped a malformed frame: %s", why)

    # ---------------------------------------------------------------- connections

    def _start_monitor(self) -> zmq.Socket:
        events = zmq.EVENT_DISCONNECTED if self._bound else zmq.EVENT_DISCONNECTED | zmq.EVENT_CONNECTED
        addr = f"inproc://tulip-bridge-monitor-{self.session}"
        self._raw.monitor(addr, events)
        mon = zmq.Socket(self._sock.context, zmq.PAIR)
        mon.setsockopt(zmq.LINGER, 0)
        mon.connect(addr)
        self._loop.add_reader(mon.FD, self._on_monitor)
        self._loop.call_soon(self._on_monitor)
        return mon

    def _on_monitor(self) -> None:
        while not self._closed:
            try:
                event = parse_monitor_message(self._monitor.recv_multipart(zmq.NOBLOCK))
            except zmq.Again:
                return
            if event["event"] == zmq.EVENT_CONNECTED:
                self._send_heartbeat(self._current)  # (re)connected: say hello at once
            elif event["event"] == zmq.EVENT_DISCONNECTED:
                self._disconnected(int(event["value"]))

    def _connection_is(self, remote: _Remote, fd: int) -> None:
        self._new_fd = None
        if self._authorized:
            remote.key, self._new_key = self._new_key, None
        old = self._by_fd.get(fd)
        if old is not None and old is not remote:
            # The fd is reused, so that connection closed; its event is still on its way.
            self._stale_fds[fd] = self._stale_fds.get(fd, 0) + 1
            self._drop_remote(old, "connection closed")
        self._by_fd[fd] = remote
        remote.fd = fd

    def _disconnected(self, fd: int) -> None:
        if not self._bound:
            remote = self._current
            why = f"connection to {self.endpoint} closed"
            if remote.session is not None:
                self._remote_died(remote, why)
            else:  # not greeted yet: what already left on that connection is lost
                self._remote_died(remote, why, only=lambda p: p.entry is None or p.entry[2] is True)
            return
        if self._stale_fds.get(fd):
            self._stale_fds[fd] -= 1
            return
        remote = self._by_fd.get(fd)
        if remote is not None:
            self._drop_remote(remote, "connection closed")

    def _drop_remote(self, remote: _Remote, why: str) -> None:
        """A bound peer's remote is gone: fail and cancel what was for it, and forget it."""
        if remote.session is not None:
            self._remote_died(remote, why)
        if self._remotes.get(remote.identity) is remote:
            del self._remotes[remote.identity]
        if remote.fd is not None and self._by_fd.get(remote.fd) is remote:
            del self._by_fd[remote.fd]

    def _remote_for(self, identity) -> _Remote:
        remote = self._remotes[identity] = _Remote(identity)
        return remote

    def _dispatch(self, remote: _Remote, frame: list):
        kind, cid = frame[0], frame[1]
        if kind == HEARTBEAT:
            if isinstance(frame[3], (int, float)) and 0 < frame[3] < 86400:
                remote.heartbeat = float(frame[3])
            remote.idempotent = frozenset(frame[4]) if len(frame) == 5 else frozenset()
            self._greeted(remote, frame[2])
        elif kind == CALL:
            self._serve_call(remote, cid, frame[2], frame[3], frame[4], frame[5], frame[6])
        elif kind == RESULT or kind == ERROR:
            p = self._pending.get(cid)
            if p is None:
                return  # late: the call was cancelled, timed out or failed already
            if p.remote is not remote:
                self._log.warning("tulip_bridge: dropped a %s for call %d from a peer it was not sent to",
                            wire.KIND_NAMES[kind], cid)
                return
            if p.stream is not None:
                stream = p.stream()
                if stream is not None:
                    stream._on_frame(kind, frame[2])
                return
            if p.fut.done():
                return
            if kind == RESULT:
                p.fut.set_result(frame[2])
            else:
                exc = frame[2]
                p.fut.set_exception(exc if isinstance(exc, BaseException) else RuntimeError(repr(exc)))
        elif kind == ITEM or kind == END:
            p = self._pending.get(cid)
            if p is not None and p.remote is not remote:
                self._log.warning("tulip_bridge: dropped a %s for stream %d from a peer it was not sent to",
                            wire.KIND_NAMES[kind], cid)
                return
            stream = p.stream() if p is not None and p.stream is not None else None
            if stream is not None:
                stream._on_frame(kind, frame[2] if kind == ITEM else None)
        elif kind == CANCEL:
            task = remote.served.get(cid)
            if task is not None:
                task._bridge_cancel_requested = True
                task.cancel(frame[2])
        elif kind == STREAM:
            self._serve_stream(remote, cid, frame[2], frame[3], frame[4], frame[5], frame[6])
        elif kind == PULL:
            task = remote.served.get(cid)
            credit = getattr(task, "_bridge_credit", None)
            if credit is not None and type(frame[2]) is int and frame[2] > 0:
                credit.add(frame[2])

    def _greeted(self, remote: _Remote, session):
        if not isinstance(session, str):
            return
        if remote.session != session:
            if remote.session is not None:  # it restarted: what was meant for the old one is lost
                self._remote_died(remote, f"peer restarted (session {remote.session[:8]} ended)")
            remote.session = session
            if self._bound:
                self._send_heartbeat(remote)  # answer at once, so the caller learns our session
                if (not self._authorized or remote.key is not None) and remote not in self._live:
                    self._live.append(remote)
        # Sticky: the bound peer's own calls stay with the first live peer; a newcomer's greeting
        # does not take them over.
        if self._bound and (self._current is None or self._current.session is None):
            self._current = remote
        self._connected.set()

    # ---------------------------------------------------------------- running calls

    def _lookup(self, remote, cid, name, args, kwargs, session):
        if session is not None and session != self.session:
            self._reply(remote, ERROR, cid, ConnectionError(
                "call addressed to an earlier session of this peer; it did not run"))
            return None
        fn = self._functions.get(name)
        if fn is None:
            self._reply(remote, ERROR, cid, UnknownFunctionError(f"no function registered as {name!r}"))
            return None
        return fn

    def _serve_call(self, remote, cid, name, args, kwargs, timeout, session):
        fn = self._lookup(remote, cid, name, args, kwargs, session)
        if fn is None:
            return
        if cid in remote.served:
            self._log.warning("tulip_bridge: duplicate call id %d ignored (at most once)", cid)
            return
        ctx = self._serving_context(remote)
        try:
            coro = ctx.run(fn, *args, **kwargs) if kwargs else ctx.run(fn, *args)
        except Exception as e:
            self._reply(remote, ERROR, cid, e)
            return
        if not asyncio.iscoroutine(coro):
            if hasattr(coro, "__await__"):
                coro = _await(coro)
            else:  # a plain function: its value is the answer
                self._reply(remote, RESULT, cid, coro)
                return
        loop = self._loop
        task, state = start_eagerly(loop, coro, ctx)
        if state[0] == "return":
            self._reply(remote, RESULT, cid, state[1])
            return
        if state[0] == "raise":
            self._reply(remote, ERROR, cid, state[1])
            task.add_done_callback(_consume)
            return
        remote.served[cid] = task
        if timeout is not None:
            handle = loop.call_later(timeout, _time_out, task)
            task.add_done_callback(lambda t: handle.cancel())
        task.add_done_callback(lambda t: self._call_finished(remote, cid, t))

    def _call_finished(self, remote, cid, task):
        if remote.served.get(cid) is task:
            del remote.served[cid]
        if task.cancelled():
            if getattr(task, "_bridge_timed_out", False):
                self._reply(remote, ERROR, cid, TimeoutError("remote call timed out"))
            elif not getattr(task, "_bridge_cancel_requested", False):  # it cancelled itself
                self._reply(remote, ERROR, cid, asyncio.CancelledError())
            return  # else cancelled by the caller (or its death), who already knows
        exc = task.exception()
        if exc is not None:
            self._reply(remote, ERROR, cid, exc)
        else:
            self._reply(remote, RESULT, cid, task.result())

    def _serve_stream(self, remote, cid, name, args, kwargs, credit, session):
        fn = self._lookup(remote, cid, name, args, kwargs, session)
        if fn is None:
            return
        ctx = self._serving_context(remote)
        try:
            agen = ctx.run(fn, *args, **(kwargs or {}))
            if not hasattr(agen, "__anext__"):
                agen = aiter(agen)
        except Exception as e:
            self._reply(remote, ERROR, cid, e)
            return
        window = _Credit(credit)
        task = self._loop.create_task(self._produce(remote, cid, agen, window), context=ctx)
        task._bridge_credit = window
        remote.served[cid] = task
        task.add_done_callback(lambda t: remote.served.pop(cid, None))

    async def _produce(self, remote, cid, agen, credit: "_Credit"):
        try:
            while True:
                await credit.take()  # flow control: run the generator only when there is room
                try:
                    item = await agen.__anext__()
                except StopAsyncIteration:
                    self._send(remote, wire.encode_frame(END, cid))
                    return
                self._reply(remote, ITEM, cid, item)
        except asyncio.CancelledError:
            raise
        except Exception as e:
            self._reply(remote, ERROR, cid, e)
        finally:
            aclose = getattr(agen, "aclose", None)
            if aclose is not None:
                await aclose()

    # ---------------------------------------------------------------- liveness

    async def _heartbeat_loop(self):
        interval = self.heartbeat / 3
        while True:
            await asyncio.sleep(interval)
            now = time.monotonic()
            for remote in list(self._remotes.values()):
                limit = max(self.heartbeat, remote.heartbeat)
                if now - remote.last_seen > limit:
                    if remote.session is not None:  # it was alive: everything for it fails now
                        self._remote_died(remote, f"no word from the peer for {limit}s")
                    if self._bound:
                        self._drop_remote(remote, f"no word from the peer for {limit}s")
                        continue
                    # Still nobody there: each call gets a full heartbeat from when it was sent.
                    self._expire(remote, now, limit)
                self._send_heartbeat(remote)

    def _expire(self, remote: _Remote, now: float, limit: float):
        self._remote_died(remote, f"no answer from {self.endpoint} within {limit}s",
                          only=lambda p: now - p.sent_at > limit)

    def _remote_died(self, remote: _Remote, why: str, only=None):
        if only is not None:
            for cid, p in list(self._pending.items()):
                if p.remote is remote and only(p):
                    self._fail_pending(cid, p, why)
            return
        again = []
        for cid, p in list(self._pending.items()):
            if p.remote is remote:
                r = p.retry
                # Never run twice, unless the caller asked for a retry and the peer said it is idempotent.
                if (r is not None and r[4] > 0 and r[0] in remote.idempotent and p.fut is not None
                        and not p.fut.done() and not self._closing):
                    del self._pending[cid]
                    if p.entry is not None and p.entry[2] is False:
                        p.entry[2] = None
                    if p.timer is not None:
                        p.timer.cancel()
                    again.append(p)
                    continue
                self._fail_pending(cid, p, why)
        if remote in self._live:
            self._live.remove(remote)
        for task in list(remote.served.values()):
            task._bridge_cancel_requested = True
            task.cancel()
        remote.served.clear()
        remote.session = None
        remote.last_seen = time.monotonic()
        if self._bound and self._current is remote:
            self._current = next((r for r in self._remotes.values() if r is not remote and r.session is not None), None)
            if self._current is None:
                self._connected.clear()
        elif not self._bound:
            self._connected.clear()
        for p in again:
            name, args, kwargs, deadline, left = p.retry
            p.retry[4] = left - 1
            timeout = None if deadline is None else deadline - time.monotonic()
            if timeout is not None and timeout <= 0:
                p.fut.set_exception(TimeoutError(f"remote call timed out ({why}; not retried)"))
            else:
                self._route(p.fut, name, args, kwargs, timeout, p.retry)

    def _fail_pending(self, cid: int, p: _Pending, why: str | BaseException):
        del self._pending[cid]
        if p.entry is not None and p.entry[2] is False:
            p.entry[2] = None
        if p.timer is not None:
            p.timer.cancel()
        exc = ConnectionError(why) if isinstance(why, str) else why
        stream = p.stream() if p.stream is not None else None
        if stream is not None:
            stream._on_frame(ERROR, exc)
        elif p.fut is not None and not p.fut.done():
            p.fut.set_exception(exc)

    # ---------------------------------------------------------------- closing

    async def close(self) -> None:
        """Fails every pending call with ConnectionError, cancels served tasks, closes the socket."""
        if self._closed:
            return
        self._closing = True
        for remote in list(self._remotes.values()):
            self._remote_died(remote, "peer closed")
        self._flush()  # best effort: the CANCELs for our calls still running over there
        self._closed = True
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._loop.remove_reader(self._raw.FD)
        self._loop.remove_reader(self._monitor.FD)
        try:
            self._raw.disable_monitor()
        except zmq.ZMQError:
            pass
        self._monitor.close(linger=0)
        if self._retry is not None:
            self._retry.cancel()
        self._sock.close(linger=0)
        if self._auth is not None:
            self._auth.stop()
        self._log.flush()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()


class _RateLimitedLog:
    """A flood of bad frames from a hostile peer must not flood the log: at most ``per_second``
    lines a second pass; the rest are counted, and the count is logged once that second is over."""

    def __init__(self, logger: logging.Logger, loop: asyncio.AbstractEventLoop, per_second: int = 10):
        self._logger, self._loop, self._per_second = logger, loop, per_second
        self._window_start = float("-inf")
        self._passed = 0
        self._suppressed = 0
        self._timer: asyncio.TimerHandle | None = None

    def warning(self, msg, *args, exc_info=False):
        now = time.monotonic()
        if now - self._window_start >= 1:
            self._window_start, self._passed = now, 0
        if self._passed < self._per_second:
            self._passed += 1
            self._logger.warning(msg, *args, exc_info=exc_info)
            return
        self._suppressed += 1
        if self._timer is None and not self._loop.is_closed():
            self._timer = self._loop.call_later(max(0.001, self._window_start + 1 - now), self.flush)

    def flush(self):
        """Logs the count of lines suppressed so far, if any."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._suppressed:
            n, self._suppressed = self._suppressed, 0
            self._logger.warning("tulip_bridge: %d more log line%s suppressed (over %d a second)",
                                 n, "" if n == 1 else "s", self._per_second)


def _hard_limit(opts) -> int:
    # libzmq drops the connection past this; below it, we answer an oversized call with an error.
    return max(4 * opts.get("max_message_size", DEFAULT_MAX_MESSAGE), 1 << 20) + wire.BATCH_BYTES


async def _await(awaitable):
    return await awaitable


def _consume(task):
    if not task.cancelled():
        task.exception()


def _time_out(task):
    task._bridge_timed_out = True
    task.cancel("timeout")
