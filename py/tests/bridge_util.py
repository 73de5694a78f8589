"""Helpers for the bridge tests: real peers in real processes (Node and Python)."""

from __future__ import annotations

import asyncio
import os
import pathlib
import socket
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
NODE_PEER = ROOT / "dist" / "test" / "bridge" / "fixtures" / "node_peer.js"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(FIXTURES), str(ROOT / "py")])}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    """A peer process that printed ``READY <endpoint>``."""

    def __init__(self, argv: list[str]):
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, env=ENV, cwd=ROOT, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("READY "):
            self.proc.kill()
            raise RuntimeError(f"peer did not start: {line!r}")
        self.endpoint = line.split()[1]

    def stop(self, kill: bool = False):
        if self.proc.poll() is None:
            self.proc.kill() if kill else self.proc.terminate()
        self.proc.wait(10)


def node_peer(*args: str) -> Proc:
    return Proc(["node", str(NODE_PEER), *args])


def python_peer(*args: str) -> Proc:
    return Proc([sys.executable, "-m", "tulip_bridge", "serve", "--module", "bridge_funcs", *args])


def run(coro, timeout: float = 30):
    """Runs a test coroutine with a safety-net timeout."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


class Raw:
    """A hostile peer: a raw DEALER socket, written in the test, sending whatever frames it
    likes (forged replies, wrong types, garbage) and reading what comes back."""

    def __init__(self, endpoint: str, **sockopts):
        import zmq
        import zmq.asyncio
        self.sock = zmq.asyncio.Context.instance().socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        for k, v in sockopts.items():
            self.sock.setsockopt(getattr(zmq, k.upper()), v)
        self.sock.connect(endpoint)
        self.got: list = []  # every frame received, in order

    async def send(self, *frames):
        from tulip_bridge import wire
        await self.sock.send(b"".join(wire.encode_frame(*f) for f in frames))

    async def send_bytes(self, *parts: bytes):
        await self.sock.send_multipart(list(parts))

    async def greet(self, session: str | None = None, heartbeat: float = 5):
        import uuid
        from tulip_bridge.wire import HEARTBEAT
        await self.send([HEARTBEAT, 0, session or f"hostile{uuid.uuid4().hex}", heartbeat])

    async def next(self, pred, timeout: float = 10):
        """The first frame (received so far or later) for which ``pred`` holds."""
        from tulip_bridge import wire

        async def wait():
            seen = 0
            while True:
                for f in self.got[seen:]:
                    if not isinstance(f, Exception) and pred(f):
                        return f
                seen = len(self.got)
                msg = await self.sock.recv_multipart()
                for item in wire.decode_frames(msg[-1]):
                    self.got.append(item if isinstance(item, Exception) else item[0])
        return await asyncio.wait_for(wait(), timeout)

    async def reply(self, cid: int, timeout: float = 10):
        """The RESULT or ERROR answering our call ``cid``."""
        return await self.next(lambda f: f[0] in (3, 4) and f[1] == cid, timeout)

    def close(self):
        self.sock.close(linger=0)


def wire_error(name: str, message: str = "from a hostile peer") -> BaseException:
    """An exception that travels as the type ``name`` (what a hostile peer may claim)."""
    from tulip_bridge import RemoteError
    return RemoteError(name, message)


def raw_call(cid: int, name: str, args: bytes, trailer: bytes = b"\xc0\xc0\xc0") -> bytes:
    """A CALL frame built by hand around ``args``, given as raw msgpack bytes (need not decode)."""
    from tulip_bridge.codec import encode
    return b"\x97\x01" + encode(cid) + encode(name) + args + trailer


def bad_calls():
    """Ill-typed and undecodable calls (rows 8, 9): (what, id, message bytes, error type, pattern).
    ``add(a, b)`` would answer if it ran."""
    from tulip_bridge.wire import encode_frame
    call = lambda cid, *rest: encode_frame(1, cid, *rest)  # noqa: E731
    return [
        ('timeout "1"', 11, call(11, "add", [1, 2], None, "1", None), "TypeError", r"timeout must be a number"),
        ("timeout -1", 12, call(12, "add", [1, 2], None, -1, None), "ValueError", r"timeout must be >= 0"),
        ("args as a map", 13, call(13, "add", {"a": 1}, None, None, None), "TypeError", r"args must be an array, not map"),
        ("kwargs as an array", 14, call(14, "add", [1, 2], [3], None, None), "TypeError", r"kwargs must be a map"),
        ("name as an int", 15, call(15, 5, [1, 2], None, None, None), "TypeError", r"function name must be a str"),
        ("session as an int", 16, call(16, "add", [1, 2], None, None, 5), "TypeError", r"session must be a str"),
        ('STREAM credit "x"', 17, encode_frame(2, 17, "count", [3], None, "x", None), "TypeError", r"credit must be an int"),
        ("an unknown ext code", 18, raw_call(18, "add", b"\x92\xd4\x2a\x00\x01"), "ValueError", r"(?i)extension.*42"),
        ("100k-deep nesting", 19, raw_call(19, "add", b"\x91" * 100_001 + b"\x01"), "ValueError", r"nested \d+ levels deep"),
        ("a truncated call", 20, call(20, "add", [1, 2], None, None, None)[:8], "ValueError", r"truncated"),
        ("a 6-field CALL", 21, encode_frame(1, 21, "add", [1, 2], None, None), "TypeError", r"wrong length"),
    ]
