"""Hostile peers (issue 14): a raw ZeroMQ socket, written here, sends crafted frames to a live
Node peer process and to a Python peer in this process. A bad message never kills the peer,
and nothing is silently dropped."""

import asyncio

import pytest

from bridge_util import Raw, node_peer, run, wire_error
from tulip_bridge import Peer, RemoteError
from tulip_bridge.wire import CALL, ERROR, RESULT

# Exception types that would end the process (or a generator) if raised as themselves.
DEADLY = ["SystemExit", "KeyboardInterrupt", "GeneratorExit", "BaseException", "StopIteration",
          "StopAsyncIteration"]


@pytest.fixture(scope="module")
def node():
    p = node_peer("--bind", "tcp://127.0.0.1:0", "--heartbeat", "5")
    yield p
    p.stop()


async def bound_python():
    peer = await Peer.bind("tcp://127.0.0.1:0", heartbeat=5)

    @peer.register("remote_error")
    async def remote_error(name):
        try:
            await peer.call(name)
        except BaseException as e:  # noqa: B036 - whatever arrives, to describe it
            return [type(e).__name__, getattr(e, "remote_type", None)]

    return peer


def test_row2_deadly_exception_types_arrive_as_remote_error_in_python():
    async def main():
        peer = await bound_python()
        raw = Raw(peer.endpoint)
        try:
            await raw.greet()
            for cid, name in enumerate(DEADLY, 1):
                await raw.send([CALL, cid, "remote_error", [f"cb.{name}"], None, None, None])
                call = await raw.next(lambda f: f[0] == CALL and f[2] == f"cb.{name}")
                await raw.send([ERROR, call[1], wire_error(name, "bye")])
                assert (await raw.reply(cid))[2] == ["RemoteError", name]
        finally:
            raw.close()
            await peer.close()
    run(main())


def test_row2_deadly_exception_types_arrive_as_remote_error_in_node(node):
    async def main():
        raw = Raw(node.endpoint)
        try:
            await raw.greet()
            for cid, name in enumerate(DEADLY, 1):
                # Node's callPython calls us back (we greeted last) and passes on what it caught
                await raw.send([CALL, cid, "callPython", [f"cb.{name}"], None, None, None])
                call = await raw.next(lambda f: f[0] == CALL and f[2] == f"cb.{name}")
                await raw.send([ERROR, call[1], wire_error(name, "bye")])
                reply = await raw.reply(cid)
                assert reply[0] == ERROR and isinstance(reply[2], RemoteError) and reply[2].remote_type == name
            await raw.send([CALL, 99, "add", [1, 2], None, None, None])
            assert (await raw.reply(99))[2] == 3
            assert node.proc.poll() is None
        finally:
            raw.close()
    run(main())
