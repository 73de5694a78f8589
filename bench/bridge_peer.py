"""The Python side of bench/bridge.bench.mjs.

    bridge_peer.py server MODE ENDPOINT          echo server; prints READY <endpoint>
    bridge_peer.py client MODE ENDPOINT N K      N echo calls, K in flight; prints JSON

MODE is ``tulip`` (tulip_bridge.Peer), ``blocking`` (plain pyzmq, no event loop: the absolute
limit) or ``asyncio`` (a zmq.asyncio socket answering or calling inline: the limit for an
asyncio peer). The raw forms speak ``[id, payload]`` msgpack frames, DEALER/ROUTER.
"""

import asyncio
import json
import sys
import time

import msgpack
import zmq
import zmq.asyncio

from tulip_bridge import Peer

pack, unpack = msgpack.packb, msgpack.unpackb
PAYLOAD = "x" * 32


def stats(rtts, n, elapsed):
    rtts.sort()
    out = {"rate": n / elapsed}
    if rtts:
        out["p50"] = rtts[len(rtts) // 2] * 1e6
        out["p99"] = rtts[int(len(rtts) * 0.99)] * 1e6
    return out


# ------------------------------------------------------------------ servers

def serve_blocking(endpoint):
    sock = zmq.Context.instance().socket(zmq.ROUTER)
    sock.bind(endpoint)
    print("READY", sock.getsockopt_string(zmq.LAST_ENDPOINT), flush=True)
    while True:
        ident, body = sock.recv_multipart()
        cid, x = unpack(body)
        sock.send_multipart([ident, pack([cid, x])])


async def serve_asyncio(endpoint):
    sock = zmq.asyncio.Context.instance().socket(zmq.ROUTER)
    sock.bind(endpoint)
    print("READY", sock.getsockopt_string(zmq.LAST_ENDPOINT), flush=True)
    while True:
        ident, body = await sock.recv_multipart()
        cid, x = unpack(body)
        await sock.send_multipart([ident, pack([cid, x])])


async def serve_tulip(endpoint):
    peer = await Peer.bind(endpoint)

    @peer.register("echo")
    async def echo(x):
        return x

    print("READY", peer.endpoint, flush=True)
    await asyncio.Event().wait()


# ------------------------------------------------------------------ clients

def client_blocking(endpoint, n, k):
    sock = zmq.Context.instance().socket(zmq.DEALER)
    sock.connect(endpoint)
    for i in range(2000):  # warm-up
        sock.send(pack([i, PAYLOAD]))
        sock.recv()
    rtts = []
    sent = {}
    t0 = time.perf_counter()
    nxt = 0
    while nxt < min(k, n):
        sent[nxt] = time.perf_counter()
        sock.send(pack([nxt, PAYLOAD]))
        nxt += 1
    for _ in range(n):
        cid, _x = unpack(sock.recv())
        if k == 1:
            rtts.append(time.perf_counter() - sent.pop(cid))
        if nxt < n:
            sent[nxt] = time.perf_counter()
            sock.send(pack([nxt, PAYLOAD]))
            nxt += 1
    return stats(rtts, n, time.perf_counter() - t0)


async def client_asyncio(endpoint, n, k):
    sock = zmq.asyncio.Context.instance().socket(zmq.DEALER)
    sock.connect(endpoint)
    for i in range(2000):
        await sock.send(pack([i, PAYLOAD]))
        await sock.recv()
    rtts, sent = [], {}
    t0 = time.perf_counter()
    nxt = 0
    while nxt < min(k, n):
        sent[nxt] = time.perf_counter()
        await sock.send(pack([nxt, PAYLOAD]))
        nxt += 1
    for _ in range(n):
        cid, _x = unpack(await sock.recv())
        if k == 1:
            rtts.append(time.perf_counter() - sent.pop(cid))
        if nxt < n:
            sent[nxt] = time.perf_counter()
            await sock.send(pack([nxt, PAYLOAD]))
            nxt += 1
    return stats(rtts, n, time.perf_counter() - t0)


async def client_tulip(endpoint, n, k):
    peer = await Peer.connect(endpoint)
    await peer.wait_for_peer(10)
    for _ in range(2000):
        await peer.call("echo", PAYLOAD)
    rtts = []
    left = n

    async def worker():
        nonlocal left
        call = peer.call
        while left > 0:
            left -= 1
            t = time.perf_counter()
            await call("echo", PAYLOAD)
            if k == 1:
                rtts.append(time.perf_counter() - t)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(k)))
    out = stats(rtts, n, time.perf_counter() - t0)
    await peer.close()
    return out


def main():
    role, mode, endpoint = sys.argv[1:4]
    if role == "server":
        if mode == "blocking":
            serve_blocking(endpoint)
        else:
            asyncio.run({"asyncio": serve_asyncio, "tulip": serve_tulip}[mode](endpoint))
        return
    n, k = int(sys.argv[4]), int(sys.argv[5])
    if mode == "blocking":
        out = client_blocking(endpoint, n, k)
    else:
        out = asyncio.run({"asyncio": client_asyncio, "tulip": client_tulip}[mode](endpoint, n, k))
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
