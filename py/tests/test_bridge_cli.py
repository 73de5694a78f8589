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


def test_serve_fanout_spreads_a_bound_servers_own_calls_over_its_workers():
    """``serve --bind … --fanout``: the served module's own calls (``own_call``, made outside every
    served call) go to the connected worker with the fewest in flight, ties round-robin."""
    p = python_peer("--bind", "tcp://127.0.0.1:0", "--fanout")
    try:
        async def main():
            workers = []
            try:
                for name in ("w0", "w1"):
                    w = await Peer.connect(p.endpoint)
                    w.register("who", lambda name=name: name)
                    await w.wait_for_peer(10)
                    workers.append(w)
                got = [await workers[0].call("own_call", "who") for _ in range(4)]
                assert sorted(got) == ["w0", "w0", "w1", "w1"] and got[2:] == got[:2]
            finally:
                for w in workers:
                    await w.close()
        run(main())
    finally:
        p.stop()


def test_serve_fanout_needs_bind():
    r = subprocess.run([sys.executable, "-m", "tulip_bridge", "serve", "--connect", "tcp://127.0.0.1:9", "--fanout",
                        "--module", "bridge_funcs"], env=ENV, capture_output=True, text=True, timeout=30)
    assert r.returncode != 0 and "--fanout needs --bind" in r.stderr
