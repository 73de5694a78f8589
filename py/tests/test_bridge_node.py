"""The Python peer against a real Node peer process (tulip on its event loop)."""

import asyncio
import time

import pytest

from bridge_util import free_port, node_peer, run
from tulip_bridge import Peer, RemoteError, UnknownFunctionError


@pytest.fixture(scope="module")
def node():
    p = node_peer("--bind", "tcp://127.0.0.1:0", "--heartbeat", "2")
    yield p
    p.stop()


async def connect(node, **opts):
    peer = await Peer.connect(node.endpoint, heartbeat=2, **opts)
    await peer.wait_for_peer(10)
    return peer


def test_calls_kwargs_and_many_in_flight(node):
    async def main():
        async with await connect(node) as peer:
            assert await peer.call("add", 1, 2) == 3
            # keywords reach the TS function as a trailing options object
            assert await peer.call("scale", 3, factor=4) == 12
            assert await peer.invoke("scale", args=(3,), kwargs={"factor": 5}) == 15
            assert await peer.call("echo", 1, "a", b"b") == [1, "a", b"b"]
            results = await asyncio.gather(*(peer.call("add", i, i) for i in range(2000)))
            assert results == [2 * i for i in range(2000)]
    run(main())


def test_node_calls_python_back(node):
    async def main():
        async with await connect(node) as peer:
            @peer.register("py.mul")
            async def mul(a, b):
                return a * b
            assert await peer.call("callPython", "py.mul", 6, 7) == 42
            assert await peer.call("callPython", "py.mul", 2**40, 2**30) == 2**70
    run(main())


def test_errors_map_to_python_classes(node):
    async def main():
        async with await connect(node) as peer:
            with pytest.raises(ValueError, match="node value error") as ei:
                await peer.call("fail", "value")
            assert "remote traceback" in "".join(getattr(ei.value, "__notes__", []))
            with pytest.raises(RemoteError) as ei:
                await peer.call("fail", "range")
            assert ei.value.remote_type == "RangeError" and "node range error" in str(ei.value)
            with pytest.raises(UnknownFunctionError):
                await peer.call("nothing")
            with pytest.raises(TypeError, match="takes 1 positional argument but 2 were given"):
                await peer.call("fail", "value", "extra")
            with pytest.raises(TypeError, match="cannot encode"):
                await peer.call("add", {1, 2}, 3)
            assert await peer.call("add", 1, 1) == 2
    run(main())


def test_cancelling_the_awaiting_task_cancels_the_node_task(node):
    async def main():
        async with await connect(node) as peer:
            async def awaiting():
                return await peer.call("slow", "c1")
            task = asyncio.create_task(awaiting())  # a task awaiting the call, not the Future itself
            await peer.call("waitEvent", "started c1")
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert await peer.call("waitEvent", "cancelled c1") is True
    run(main())


def test_deadline_travels_to_node(node):
    async def main():
        async with await connect(node) as peer:
            t0 = time.monotonic()
            with pytest.raises(TimeoutError):
                await peer.invoke("slow", args=("d1",), timeout=0.3)
            assert time.monotonic() - t0 >= 0.29
            assert await peer.call("waitEvent", "cancelled d1") is True
    run(main())


def test_any_dict_python_encodes_round_trips_through_node(node):
    """Row 7 of issue 14: non-string keys arrive in Node as a Map and come back as they were
    (arrays as map keys become tuples here); '__proto__' is a key like any other."""
    async def main():
        async with await connect(node) as peer:
            value = {b"k": 1, (1, ("a", 2)): 2, 1: "one", None: 0, 2.5: [True], "s": {"__proto__": 3}}
            assert await peer.call("echo", value) == [value]
    run(main())


def test_a_deadline_over_2_31_ms_does_not_fire_early_in_node(node):
    """Row 6 of issue 14: Node's timers overflow past 2^31-1 ms; the bridge re-arms them."""
    async def main():
        async with await connect(node) as peer:
            fut = peer.invoke("slow", ("long",), timeout=3e6)
            assert await peer.call("waitEvent", "started long") is True
            assert await peer.call("tick", 20) is True  # an overflowed timer made before it fired already
            assert not fut.done() and "cancelled long" not in await peer.call("events")
            fut.cancel()
            assert await peer.call("waitEvent", "cancelled long") is True
    run(main())


def test_streams_both_ways_with_flow_control_and_early_exit(node):
    async def main():
        async with await connect(node, stream_window=4) as peer:
            assert [x async for x in peer.stream("count", 10, "all")] == list(range(10))
            # early exit closes the Node generator, which never ran more than the window ahead
            got = []
            async for x in peer.stream("count", 1000, "early"):
                got.append(x)
                if x == 1:
                    break
            assert got == [0, 1]
            await peer.call("waitEvent", "produced early 1")
            events = await peer.call("events")
            closed = [e for e in events if e.startswith("closed early")]
            for _ in range(100):
                if closed:
                    break
                await asyncio.sleep(0.01)  # the CANCEL is on its way; poll briefly, bounded
                closed = [e for e in await peer.call("events") if e.startswith("closed early")]
            assert closed and int(closed[0].split()[-1]) <= 2 + 4

            @peer.register("py.gen")
            async def gen(n):
                for i in range(n):
                    yield i * 2
            assert await peer.call("streamPython", "py.gen", 5) == [0, 2, 4, 6, 8]
    run(main())


def test_node_dies_then_comes_back():
    port = free_port()
    endpoint = f"tcp://127.0.0.1:{port}"
    node = node_peer("--bind", endpoint, "--heartbeat", "1")

    async def main():
        nonlocal node
        peer = await Peer.connect(endpoint, heartbeat=1)
        try:
            await peer.wait_for_peer(10)
            pending = [asyncio.ensure_future(peer.call("slow", f"k{i}")) for i in range(20)]
            await peer.call("waitEvent", "started k19")
            t0 = time.monotonic()
            node.stop(kill=True)
            results = await asyncio.gather(*pending, return_exceptions=True)
            assert all(isinstance(r, ConnectionError) for r in results), results
            assert time.monotonic() - t0 < 2.0
            node = node_peer("--bind", endpoint, "--heartbeat", "1")
            assert await peer.invoke("add", args=(2, 3), timeout=10) == 5
            assert not any(e.startswith("started k") for e in await peer.call("events"))  # nothing re-ran
        finally:
            await peer.close()
    try:
        run(main())
    finally:
        node.stop()


def _fails_fast(make_node, python_side):
    """Row 11 of issue 14: with a 5 s heartbeat, a Node peer killed mid-call fails our pending
    calls as soon as its connection closes (ZeroMQ's socket monitor), not a heartbeat later."""
    async def main():
        peer, node = await python_side(make_node)
        try:
            call = peer.invoke("slow", ("killed",))
            assert await peer.call("waitEvent", "started killed") is True
            killed_at = time.monotonic()
            node.stop(kill=True)
            with pytest.raises(ConnectionError):
                await call
            elapsed = time.monotonic() - killed_at
            if elapsed > 0.1:
                print(f"connection-close detection took {elapsed * 1000:.0f} ms (goal 100 ms)")
            assert elapsed < 1
        finally:
            node.stop()
            await peer.close()
    run(main())


def test_row11_a_killed_bound_node_peer_fails_pending_calls_at_once():
    async def connect_to(make):
        node = make("--bind", "tcp://127.0.0.1:0", "--heartbeat", "5")
        peer = await Peer.connect(node.endpoint, heartbeat=5)
        await peer.wait_for_peer(10)
        return peer, node
    _fails_fast(node_peer, connect_to)


def test_row11_a_killed_connected_node_peer_fails_the_bound_sides_pending_calls_at_once():
    async def bind_for(make):
        peer = await Peer.bind("tcp://127.0.0.1:0", heartbeat=5)
        node = make("--connect", peer.endpoint, "--heartbeat", "5")
        await peer.wait_for_peer(10)
        return peer, node
    _fails_fast(node_peer, bind_for)


# Issue 14 item 2: ``peer.call`` is a coroutine on both sides (``invoke`` is the Future form).

def test_call_is_a_coroutine_run_every_way(node):
    async def main():
        async with await connect(node) as peer:
            c = peer.call("add", 1, 2)
            assert asyncio.iscoroutine(c)
            assert await c == 3
            assert await asyncio.create_task(peer.call("add", 2, 3)) == 5
            async with asyncio.TaskGroup() as tg:
                tasks = [tg.create_task(peer.call("add", i, 10)) for i in range(5)]
            assert [t.result() for t in tasks] == [10, 11, 12, 13, 14]
            got = await asyncio.gather(peer.call("add", 1, 1), peer.call("fail", "value"), return_exceptions=True)
            assert got[0] == 2 and isinstance(got[1], ValueError)
            assert await asyncio.wait_for(peer.call("add", 4, 4), 5) == 8
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(peer.call("slow", "wait_for"), 0.3)
            assert await peer.call("waitEvent", "cancelled wait_for") is True  # the Node task was cancelled
    run(main())


def test_shielded_call_runs_on_when_the_outer_future_is_cancelled(node):
    async def main():
        async with await connect(node) as peer:
            assert await asyncio.shield(peer.call("add", 1, 2)) == 3
            before = asyncio.all_tasks()
            outer = asyncio.shield(peer.call("waitEvent", "shield released"))
            (inner,) = asyncio.all_tasks() - before
            outer.cancel()
            with pytest.raises(asyncio.CancelledError):
                await outer
            assert await peer.call("record", "shield released") is True
            assert await inner is True
    run(main())


def test_an_unawaited_call_sends_nothing(node):
    async def main():
        async with await connect(node) as peer:
            lazy = peer.call("record", "lazy")
            dropped = peer.call("record", "dropped")
            assert not peer._pending
            assert await peer.call("record", "marker") is True  # frames are handled in order
            events = await peer.call("events")
            assert "marker" in events and "lazy" not in events
            assert await lazy is True
            assert "lazy" in await peer.call("events")
            dropped.close()  # never run: nothing sent, no "never awaited" warning
            assert "dropped" not in await peer.call("events")
    run(main())


# Issue 14 item 3: a Python front end (a bound peer with fanout) and N Node workers.

async def _workers(front, n, timeout=10.0):
    """Waits until ``front`` has ``n`` live workers (a condition, checked each loop turn)."""
    deadline = time.monotonic() + timeout
    while len(front.workers()) != n:
        assert time.monotonic() < deadline, front.workers()
        await asyncio.sleep(0.005)


class _Reports:
    def __init__(self):
        self.list, self._changed = [], asyncio.Event()

    def push(self, *e):
        self.list.append(list(e))
        self._changed.set()

    async def wait_for(self, pred, timeout=10.0):
        async def hit():
            while True:
                for e in self.list:
                    if pred(e):
                        return e
                self._changed.clear()
                await self._changed.wait()
        return await asyncio.wait_for(hit(), timeout)


def _with_node_workers(body, count=2):
    """Runs ``body(front, reports, nodes)`` with a fan-out front end that ``count`` Node workers joined."""
    nodes = []

    async def main():
        front = await Peer.bind("tcp://127.0.0.1:0", fanout=True, heartbeat=5)
        reports = _Reports()
        front.register("report", reports.push)
        try:
            nodes.extend(node_peer("--connect", front.endpoint, "--heartbeat", "5") for _ in range(count))
            await _workers(front, count)
            await body(front, reports, nodes)
        finally:
            await front.close()

    try:
        run(main())
    finally:
        for n in nodes:
            n.stop()


def test_a_python_front_end_fans_out_over_node_workers():
    async def body(front, reports, nodes):
        pids = {n.proc.pid for n in nodes}
        seq = [await front.call("pid") for _ in range(4)]
        assert set(seq) == pids and seq[2:] == seq[:2]  # round-robin when none is busy
        got = await asyncio.gather(*(front.call("pid") for _ in range(40)))
        assert sorted(got.count(p) for p in pids) == [20, 20]
        # pinned: a cancel reaches the worker that took the call
        held = front.invoke("held", ("busy",))
        _, _, busy = await reports.wait_for(lambda e: e[:2] == ["started", "busy"])
        assert busy not in [await front.call("pid") for _ in range(4)]  # least in flight
        held.cancel()
        await reports.wait_for(lambda e: e == ["cancelled", "busy", busy])
        # retry: an idempotent function's call goes to the other worker when its worker dies
        idem = front.invoke("held_idempotent", ("idem", 0.2), retry=1)
        _, _, first = await reports.wait_for(lambda e: e[:2] == ["started", "idem"])
        doomed = front.invoke("held", ("doomed",), retry=1)  # not idempotent: fails
        _, _, on = await reports.wait_for(lambda e: e[:2] == ["started", "doomed"])
        victim = next(n for n in nodes if n.proc.pid == first)
        victim.stop(kill=True)
        answer = await idem
        assert answer != first and answer in pids
        if on == first:
            with pytest.raises(ConnectionError):
                await doomed
        else:
            doomed.cancel()
        assert [e[2] for e in reports.list if e[:2] == ["started", "idem"]] == [first, answer]
        await _workers(front, 1)
        assert await front.call("pid") == answer

    _with_node_workers(body)


def test_a_killed_node_worker_fails_its_calls_with_connection_error_and_a_newcomer_takes_calls():
    async def body(front, reports, nodes):
        held = front.invoke("held", ("killed",))
        _, _, pid = await reports.wait_for(lambda e: e[:2] == ["started", "killed"])
        t0 = time.monotonic()
        next(n for n in nodes if n.proc.pid == pid).stop(kill=True)
        with pytest.raises(ConnectionError):
            await held
        assert time.monotonic() - t0 < 1  # its connection closed: not a heartbeat later
        await _workers(front, 1)
        nodes.append(node_peer("--connect", front.endpoint, "--heartbeat", "5"))
        await _workers(front, 2)
        live = {n.proc.pid for n in nodes if n.proc.poll() is None}
        assert {await front.call("pid") for _ in range(4)} == live

    _with_node_workers(body)


@pytest.mark.skipif(not __import__("zmq").has("curve"), reason="no CURVE in this libzmq")
def test_with_authorized_keys_each_worker_is_known_by_its_key():
    import zmq

    async def main():
        spub, ssec = zmq.curve_keypair()
        keys = [zmq.curve_keypair() for _ in range(2)]
        front = await Peer.bind("tcp://127.0.0.1:0", fanout=True, curve={
            "public_key": spub, "secret_key": ssec, "authorized_keys": [k[0] for k in keys]})
        workers = []
        try:
            for i, (pub, sec) in enumerate(keys):
                w = await Peer.connect(front.endpoint, curve={"public_key": pub, "secret_key": sec, "server_key": spub})
                w.register("who", lambda i=i: i)
                workers.append(w)
            await _workers(front, 2)
            assert {w["key"] for w in front.workers()} == {k[0].decode() for k in keys}
            assert {await front.call("who"), await front.call("who")} == {0, 1}
        finally:
            for w in workers:
                await w.close()
            await front.close()

    run(main())
