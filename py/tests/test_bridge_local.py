"""Python peer to Python peer in one process: the protocol's own guarantees, and fuzz."""

import asyncio
import os
import random

import pytest
import zmq
import zmq.asyncio

from bridge_util import run
from tulip_bridge import Peer, UnknownFunctionError
from tulip_bridge import wire


async def pair(**opts):
    a = await Peer.bind("tcp://127.0.0.1:0", heartbeat=2, **opts)
    b = await Peer.connect(a.endpoint, heartbeat=2, **opts)
    await a.wait_for_peer(5)
    await b.wait_for_peer(5)
    return a, b


def test_calls_both_ways_and_eager_tasks_see_themselves():
    async def main():
        a, b = await pair()
        try:
            @a.register("whoami")
            async def whoami():
                # the eager first step runs as the call's own task, so asyncio.timeout works
                task = asyncio.current_task()
                async with asyncio.timeout(5):
                    await asyncio.sleep(0)
                return task is asyncio.current_task() and task.get_name() != "receive"

            @b.register("add")
            def add(x, y, scale=1):
                return (x + y) * scale

            assert await b.call("whoami") is True
            assert await a.call("add", 1, 2, scale=3) == 9
            assert await a.invoke("add", (1, 2), {"scale": 2}) == 6
        finally:
            await b.close()
            await a.close()
    run(main())


def test_cancel_and_timeout_reach_the_remote_task():
    async def main():
        a, b = await pair()
        seen = []
        started = asyncio.Event()

        @a.register("slow")
        async def slow(tag):
            started.set()
            try:
                await asyncio.sleep(30)
            finally:
                seen.append(tag)
        try:
            fut = b.invoke("slow", ("cancel",))
            await started.wait()
            fut.cancel()
            with pytest.raises(asyncio.CancelledError):
                await fut
            started.clear()
            with pytest.raises(TimeoutError):
                await b.invoke("slow", ("timeout",), timeout=0.2)
            for _ in range(100):
                if len(seen) == 2:
                    break
                await asyncio.sleep(0.01)
            assert seen == ["cancel", "timeout"]
        finally:
            await b.close()
            await a.close()
    run(main())


def test_stream_flow_control_and_early_close():
    async def main():
        a, b = await pair(stream_window=4)
        produced = []
        closed = asyncio.Event()

        @a.register("gen")
        async def gen(n):
            try:
                for i in range(n):
                    produced.append(i)
                    yield i
            finally:
                closed.set()
        try:
            seen = 0
            async for x in b.stream("gen", 100):
                seen += 1
                await asyncio.sleep(0.005)  # a slow consumer: the producer must not run ahead
                assert len(produced) - seen <= 4
                if seen == 20:
                    break
            await asyncio.wait_for(closed.wait(), 5)
            assert len(produced) <= 20 + 4
        finally:
            await b.close()
            await a.close()
    run(main())


def test_a_call_for_an_earlier_session_is_refused_not_run():
    async def main():
        a, b = await pair()
        ran = []
        a.register("f", lambda: ran.append(1))
        try:
            # What a caller's queue would still hold for a peer that restarted: a CALL whose
            # session is not the receiver's current one.
            from tulip_bridge.peer import _Pending
            fut = b._loop.create_future()
            b._pending[999] = _Pending(b._current, fut)
            b._send(b._current, wire.encode_frame(wire.CALL, 999, "f", [], None, None, "not-" + a.session))
            with pytest.raises(ConnectionError, match="earlier session"):
                await asyncio.wait_for(fut, 5)
            assert ran == []
            assert await b.call("f") is None and ran == [1]  # the current session runs it
        finally:
            await b.close()
            await a.close()
    run(main())


def test_fuzz_random_and_truncated_frames_then_a_normal_call():
    async def main():
        a = await Peer.bind("tcp://127.0.0.1:0", heartbeat=2, max_message_size=4096)
        a.register("add", lambda x, y: x + y)
        ctx = zmq.asyncio.Context.instance()
        raw = ctx.socket(zmq.DEALER)
        raw.setsockopt(zmq.LINGER, 0)
        raw.connect(a.endpoint)
        rnd = random.Random(5)
        call = wire.encode_frame(wire.CALL, 7, "add", [1, 2], {"y": 1}, 1.0, None)
        try:
            for _ in range(300):
                await raw.send(os.urandom(rnd.randrange(0, 200)))
            for n in range(len(call)):
                await raw.send(call[:n])
            for _ in range(100):
                b = bytearray(call)
                b[rnd.randrange(len(b))] = rnd.randrange(256)
                await raw.send(bytes(b))
            await raw.send_multipart([b"a", b"b"])
            await raw.send(b"")
            await raw.send(wire.encode_frame(wire.CALL, 4242, "no.such", [], None, None, None))
            answered = None
            while answered is None:
                for item in wire.decode_frames(await asyncio.wait_for(raw.recv(), 5)):
                    if not isinstance(item, wire.ProtocolError) and item[0][1] == 4242:
                        answered = item[0]
            assert answered[0] == wire.ERROR and isinstance(answered[2], UnknownFunctionError)
            b = await Peer.connect(a.endpoint, heartbeat=2)
            try:
                assert await b.call("add", 2, 3) == 5
                with pytest.raises(ValueError, match="exceeds the limit of 4096"):
                    await b.call("add", "x" * 10000, "y")
                with pytest.raises(TypeError):
                    await b.call("add", 1)
                assert await b.call("add", 1, 1) == 2
            finally:
                await b.close()
        finally:
            raw.close()
            await a.close()
    run(main())


def test_a_message_of_several_frames_answers_each_even_a_truncated_tail():
    async def main():
        a = await Peer.bind("tcp://127.0.0.1:0", heartbeat=2)
        a.register("add", lambda x, y: x + y)
        raw = zmq.asyncio.Context.instance().socket(zmq.DEALER)
        raw.setsockopt(zmq.LINGER, 0)
        raw.connect(a.endpoint)
        try:
            call = lambda cid, x: wire.encode_frame(wire.CALL, cid, "add", [x, 1], None, None, None)  # noqa: E731
            await raw.send(call(1, 10) + call(2, 20) + call(3, 30)[:6])  # a truncated third frame
            got = {}
            while len(got) < 3:
                for item in wire.decode_frames(await asyncio.wait_for(raw.recv(), 5)):
                    got[item[0][1]] = item[0][2]
            assert (got[1], got[2]) == (11, 21)
            # the truncated one is answered too: its head still says which call it was
            assert isinstance(got[3], ValueError) and "truncated" in str(got[3])
        finally:
            raw.close()
            await a.close()
    run(main())


def test_non_loopback_refused_unless_allowed():
    async def main():
        with pytest.raises(ValueError, match="not loopback"):
            await Peer.bind("tcp://*:0")
        with pytest.raises(ValueError, match="not loopback"):
            await Peer.connect("tcp://192.0.2.1:1")
    run(main())


@pytest.mark.skipif(not zmq.has("curve"), reason="libzmq here has no CURVE")
def test_curve_authorized_keys():
    async def main():
        spub, ssec = zmq.curve_keypair()
        cpub, csec = zmq.curve_keypair()
        opub, osec = zmq.curve_keypair()
        a = await Peer.bind("tcp://127.0.0.1:0", heartbeat=1,
                            curve={"secret_key": ssec, "public_key": spub, "authorized_keys": [cpub]})
        a.register("add", lambda x, y: x + y)
        good = await Peer.connect(a.endpoint, heartbeat=1, curve={"secret_key": csec, "public_key": cpub, "server_key": spub})
        bad = await Peer.connect(a.endpoint, heartbeat=1, curve={"secret_key": osec, "public_key": opub, "server_key": spub})
        try:
            assert await good.call("add", 1, 2) == 3
            with pytest.raises(ConnectionError):
                await bad.call("add", 1, 2)
        finally:
            await good.close()
            await bad.close()
            await a.close()
    run(main())
