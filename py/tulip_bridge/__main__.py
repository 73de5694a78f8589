"""`python -m tulip_bridge`: command-line entry point.

    python -m tulip_bridge serve --bind tcp://127.0.0.1:5555 --module mymod [--module other] [--fanout]
    python -m tulip_bridge serve --connect tcp://front:5555 --module mymod     (a worker; start N)
    python -m tulip_bridge conformance-{run,serve,bless,check} ...   (conformance_cli.py)

``serve`` exposes the functions of each module's ``Registry`` objects (see ``registry.py``)
until SIGINT/SIGTERM, and prints ``READY <endpoint>`` once listening (with the real port when
binding port 0).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import signal
import sys

from .peer import Peer
from .registry import Registry


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tulip_bridge")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="expose a module's registered functions to tulip peers")
    where = s.add_mutually_exclusive_group(required=True)
    where.add_argument("--bind", help="endpoint to bind, e.g. tcp://127.0.0.1:5555")
    where.add_argument("--connect", help="endpoint to connect to instead")
    s.add_argument("--module", action="append", required=True, help="module whose Registry objects to serve")
    s.add_argument("--heartbeat", type=float, default=5.0, help="seconds of silence before a peer counts as dead")
    s.add_argument("--allow-remote", action="store_true", help="allow a non-loopback endpoint")
    s.add_argument("--max-message-size", type=int, default=None, help="largest frame in bytes (default 16 MiB)")
    s.add_argument("--fanout", action="store_true",
                   help="with --bind: spread this side's own calls over every connected peer (least in flight)")
    return p


def _registries(names: list[str]) -> list[Registry]:
    sys.path.insert(0, os.getcwd())
    found = []
    for name in names:
        mod = importlib.import_module(name)
        regs = [v for v in vars(mod).values() if isinstance(v, Registry)]
        if not regs:
            raise SystemExit(f"tulip_bridge: module {name!r} has no Registry (bridge = tulip_bridge.Registry())")
        found += regs
    return found


async def _serve(args) -> int:
    registries = _registries(args.module)
    opts = dict(heartbeat=args.heartbeat, allow_remote=args.allow_remote)
    if args.max_message_size:
        opts["max_message_size"] = args.max_message_size
    if args.fanout and not args.bind:
        raise SystemExit("tulip_bridge: --fanout needs --bind (the bound side spreads its calls)")
    if args.bind:
        peer = await Peer.bind(args.bind, fanout=args.fanout, **opts)
    else:
        peer = await Peer.connect(args.connect, **opts)
    for reg in registries:
        peer.register_all(reg)
        reg.peer = peer
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    names = sorted(n for r in registries for n in r)
    print(f"READY {peer.endpoint}", flush=True)
    print(f"tulip_bridge: serving {', '.join(names)}", file=sys.stderr, flush=True)
    await stop.wait()
    await peer.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0].startswith("conformance-"):
        # conformance-run / -serve / -bless / -check: see conformance_cli.py
        from .conformance_cli import main as conformance_main
        return conformance_main(argv)
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    if args.command == "serve":
        return asyncio.run(_serve(args))
    return 2


if __name__ == "__main__":
    sys.exit(main())
