"""Hostile peers (issue 14): a raw ZeroMQ socket, written here, sends crafted frames to a live
Node peer process and to a Python peer in this process. A bad message never kills the peer,
and nothing is silently dropped."""

import asyncio
import logging
import re

import pytest

from bridge_util import Raw, bad_calls, node_peer, raw_call, run, wire_error
from tulip_bridge import Peer, RemoteError
from tulip_bridge.wire import CALL, ERROR, HEARTBEAT, RESULT, encode_frame

# Exception types that would end the process (or a generator) if raised as themselves.
DEADLY = ["SystemExit", "KeyboardInterrupt", "GeneratorExit", "BaseException", "StopIteration",
          "StopAsyncIteration"]


@pytest.fixture(scope="module")
def node():
    p = node_peer("--bind", "tcp://127.0.0.1:0", "--heartbeat", "5")
    yield p
    p.stop()


async def expect_bad_calls_refused(raw: Raw):
    """Rows 8, 9: each ill-typed or undecodable call gets an error naming what was wrong; none runs."""
    for what, cid, data, type_name, pattern in bad_calls():
        await raw.send_bytes(data)
        reply = await raw.reply(cid)
        assert (what, reply[0], type(reply[2]).__name__) == (what, ERROR, type_name)
        assert re.search(pattern, str(reply[2])), (what, str(reply[2]))
    # In one message: an undecodable call, then a good one: both are answered.
    await raw.send_bytes(raw_call(31, "add", b"\x91\xd4\x2a\x00") + encode_frame(CALL, 32, "add", [2, 3], None, None, None))
    assert (await raw.reply(31))[0] == ERROR
    assert (await raw.reply(32))[2] == 5
    # None of the refused calls ran: each id got exactly one reply, an ERROR.
    replies = [f for f in raw.got if isinstance(f, list) and f[0] in (RESULT, ERROR)]
    for _, cid, *_ in bad_calls():
        assert [f[0] for f in replies if f[1] == cid] == [ERROR]


async def bound_python():
    peer = await Peer.bind("tcp://127.0.0.1:0", heartbeat=5)

    peer.ran = 0

    @peer.register("add")
    def add(a, b):
        peer.ran += 1
        return a + b

    @peer.register("count")
    async def count(n):
        peer.ran += 1
        for i in range(n):
            yield i

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


def test_rows_8_9_bad_calls_get_an_error_reply_and_never_run_in_python():
    async def main():
        peer = await bound_python()
        raw = Raw(peer.endpoint)
        try:
            await expect_bad_calls_refused(raw)
            assert peer.ran == 1  # the one good call
        finally:
            raw.close()
            await peer.close()
    run(main())


def test_rows_8_9_bad_calls_get_an_error_reply_and_never_run_in_node(node):
    async def main():
        raw = Raw(node.endpoint)
        try:
            await expect_bad_calls_refused(raw)
            assert node.proc.poll() is None
        finally:
            raw.close()
    run(main())


def test_rows_8_9_a_reply_that_does_not_decode_fails_the_python_call():
    async def main():
        peer = await Peer.bind("tcp://127.0.0.1:0", heartbeat=5)
        raw = Raw(peer.endpoint)
        try:
            await raw.greet()
            await peer.wait_for_peer(5)
            fut = peer.invoke("f")
            call = await raw.next(lambda f: f[0] == CALL and f[2] == "f")
            await raw.send_bytes(b"\x93\x03" + encode_frame(call[1])[1:] + b"\xd4\x2a\x00")  # RESULT [3, id, <ext 42>]
            with pytest.raises(ValueError, match="bad RESULT frame for this call: undecodable frame: .*42"):
                await asyncio.wait_for(fut, 5)
            with pytest.raises(TypeError, match="timeout must be a number"):
                peer.invoke("f", timeout="1")
        finally:
            raw.close()
            await peer.close()
    run(main())


async def client(node, name):
    peer = await Peer.connect(node.endpoint, heartbeat=5)
    await peer.wait_for_peer(10)
    peer.register("who", lambda: name)
    return peer


def test_rows_3_4_5_a_bound_node_peer_keeps_its_clients_apart(node):
    async def main():
        a = await client(node, "a")
        b = await client(node, "b")
        hostile = Raw(node.endpoint)
        try:
            gate = asyncio.get_running_loop().create_future()
            entered = asyncio.Event()

            @a.register("gate")
            async def _gate():
                entered.set()
                return await gate

            # row 3: Node calls a back; the hostile client forges replies and cancels for every small id
            result = a.invoke("callPython", ("gate",))
            await entered.wait()
            await hostile.greet()
            for cid in range(1, 200):
                await hostile.send([RESULT, cid, "FORGED"], [ERROR, cid, wire_error("ValueError", "FORGED")],
                                   [5, cid, "forged"])
            await hostile.send([CALL, 999, "add", [1, 2], None, None, None])
            assert (await hostile.reply(999))[2] == 3  # handled in order: the forged frames were too
            gate.set_result("honest")
            assert await result == "honest"
            # row 4: Node's own calls stay with its first live client, not the newcomer
            assert await b.call("ownCall", "who") == "a"
            assert not [f for f in hostile.got if isinstance(f, list) and f[0] == CALL]
            # row 5: each handler's callbacks go to the client that called
            got = await asyncio.gather(*[(a, b)[i % 2].call("callPython", "who") for i in range(40)])
            assert got == ["a", "b"] * 20
        finally:
            hostile.close()
            await a.close()
            await b.close()
    run(main())


def test_rows_3_4_5_a_bound_python_peer_keeps_its_clients_apart():
    async def main():
        server = await Peer.bind("tcp://127.0.0.1:0", heartbeat=5)
        server.register("call_back", lambda name: server.call(name))
        a = await Peer.connect(server.endpoint, heartbeat=5)
        await a.wait_for_peer(10)
        b = await Peer.connect(server.endpoint, heartbeat=5)
        await b.wait_for_peer(10)
        a.register("who", lambda: "a")
        b.register("who", lambda: "b")
        gate = asyncio.get_running_loop().create_future()
        a.register("gate", lambda: gate)
        hostile = Raw(server.endpoint)
        try:
            own = server.invoke("gate")  # the server's own call: to a, the first to greet
            await hostile.greet()
            for cid in range(1, 200):
                await hostile.send([RESULT, cid, "FORGED"], [5, cid, "forged"])
            await hostile.send([CALL, 999, "call_back", ["nothing"], None, None, None])
            await hostile.next(lambda f: f[0] == CALL and f[2] == "nothing")  # its own callback comes to it
            gate.set_result("honest")
            assert await asyncio.wait_for(own, 5) == "honest"
            got = await asyncio.gather(*[(a, b)[i % 2].call("call_back", "who") for i in range(40)])
            assert got == ["a", "b"] * 20
            assert await server.call("who") == "a"
        finally:
            hostile.close()
            await a.close()
            await b.close()
            await server.close()
    run(main())


def test_row12_a_flood_of_garbage_logs_at_most_10_lines_a_second_then_a_count(caplog):
    async def main():
        peer = await bound_python()
        raw = Raw(peer.endpoint)
        summary = asyncio.Event()

        class Watch(logging.Handler):
            def emit(self, record):
                if "suppressed" in record.getMessage():
                    summary.set()
        watch = Watch()
        logging.getLogger("tulip_bridge").addHandler(watch)
        try:
            for i in range(1000):
                await raw.send_bytes(bytes([0xc1, i & 0xff, 0x92]))  # 0xc1 is never msgpack
            await raw.send([CALL, 1, "add", [1, 2], None, None, None])
            assert (await raw.reply(1))[2] == 3
            await asyncio.wait_for(summary.wait(), 5)
        finally:
            logging.getLogger("tulip_bridge").removeHandler(watch)
            raw.close()
            await peer.close()
    with caplog.at_level(logging.WARNING, logger="tulip_bridge"):
        run(main())
    lines = [r.getMessage() for r in caplog.records if r.name == "tulip_bridge"]
    assert len(lines) < 40  # 1000 bad messages
    assert any(re.search(r"\d+ more log lines suppressed", m) for m in lines)


def test_row12_lone_surrogates_are_refused_on_the_sender_and_by_the_receiver(node):
    async def main():
        async with await Peer.connect(node.endpoint, heartbeat=5) as peer:
            await peer.wait_for_peer(10)
            with pytest.raises(TypeError, match="surrogates not allowed"):
                await peer.call("echo", "a\ud800b")
            assert await peer.call("echo", "😀") == ["😀"]
        # a hostile sender's CESU-8 surrogate (ED A0 80) is not UTF-8: a Python peer refuses the call
        server = await bound_python()
        raw = Raw(server.endpoint)
        try:
            await raw.send_bytes(raw_call(5, "add", b"\x92\xa3\xed\xa0\x80\x01"))
            reply = await raw.reply(5)
            assert reply[0] == ERROR and isinstance(reply[2], ValueError) and "utf-8" in str(reply[2]).lower()
        finally:
            raw.close()
            await server.close()
    run(main())


async def expect_credit_capped(raw: Raw):
    """Row 1: a consumer granting 10**9 credit (and 10**9 more) gets at most the window ahead."""
    await raw.send([2, 7, "forever", [], None, 10**9, None], [8, 7, 10**9])  # STREAM, PULL
    items = lambda: sum(1 for f in raw.got if isinstance(f, list) and f[0] == 6 and f[1] == 7)  # noqa: E731
    await raw.next(lambda f: items() >= 1024)
    await raw.send([CALL, 8, "add", [1, 2], None, None, None])
    assert (await raw.reply(8))[2] == 3  # responsive, and stopped:
    assert 1024 <= items() <= 1025  # the window (and one a producer that starts at once took before the PULL)
    await raw.send([5, 7, None])


def test_row1_stream_credit_is_capped_at_the_window_in_node(node):
    async def main():
        raw = Raw(node.endpoint)
        try:
            await expect_credit_capped(raw)
        finally:
            raw.close()
    run(main())


def test_row1_stream_credit_is_capped_at_the_window_in_python():
    async def main():
        peer = await bound_python()

        @peer.register("forever")
        async def forever():
            i = 0
            while True:
                yield i
                i += 1
        raw = Raw(peer.endpoint)
        try:
            await expect_credit_capped(raw)
        finally:
            raw.close()
            await peer.close()
    run(main())


def test_a_heartbeat_with_ill_typed_idempotent_names_is_refused_and_the_peer_serves_on(caplog):
    async def main():
        peer = await Peer.bind("tcp://127.0.0.1:0", fanout=True)
        peer.register("add", lambda a, b: a + b)
        raw = Raw(peer.endpoint)
        try:
            await raw.send([HEARTBEAT, 0, "s1", 5, 42], [HEARTBEAT, 0, "s1", 5, [1, 2]],
                           [HEARTBEAT, 0, "s1", 5, ["x"] * 10_001])
            await raw.send([CALL, 7, "add", [1, 2], None, None, None])
            assert (await raw.reply(7))[2] == 3
            assert peer.workers() == []
            await raw.send([HEARTBEAT, 0, "s2", 5, ["add"]], [CALL, 8, "add", [2, 2], None, None, None])
            assert (await raw.reply(8))[2] == 4
            assert [w["session"] for w in peer.workers()] == ["s2"]
        finally:
            raw.close()
            await peer.close()
    with caplog.at_level("WARNING", logger="tulip_bridge"):
        run(main())
    assert sum("idempotent names must be an array of str" in r.getMessage() for r in caplog.records) == 3
