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
