"""`python -m tulip_bridge serve`: exposes a module's Registry; refuses a module without one."""

import subprocess
import sys

from bridge_util import ENV, python_peer, run
from tulip_bridge import Peer


def test_serve_exposes_the_modules_registry():
    p = python_peer("--bind", "tcp://127.0.0.1:0")
    try:
        async def main():
            async with await Peer.connect(p.endpoint) as peer:
                assert await peer.call("add", 1, 2) == 3
                assert await peer.call("stats.mean", [1, 2, 3]) == 2
        run(main())
    finally:
        p.stop()


def test_serve_refuses_a_module_without_registry():
    r = subprocess.run([sys.executable, "-m", "tulip_bridge", "serve", "--bind", "tcp://127.0.0.1:0", "--module", "json"],
                       env=ENV, capture_output=True, text=True, timeout=30)
    assert r.returncode != 0 and "has no Registry" in r.stderr


def test_serve_refuses_non_loopback():
    r = subprocess.run([sys.executable, "-m", "tulip_bridge", "serve", "--bind", "tcp://0.0.0.0:0", "--module", "bridge_funcs"],
                       env=ENV, capture_output=True, text=True, timeout=30)
    assert r.returncode != 0 and "not loopback" in r.stderr
