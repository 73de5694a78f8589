"""The anchors for bench/echo.bench.mjs: loopback echo on CPython asyncio or uvloop.

python echo_anchor.py asyncio|uvloop SECONDS -> JSON {"protocols 1KiB x1": round_trips_per_sec, ...}
Server and clients share one loop and one process, as in the Node runs. Each case is warmed
up, then clients do request/response round trips until the deadline.
"""
import asyncio
import json
import sys
import time

SIZES = [("1KiB", 1024), ("64KiB", 65536)]
CONCURRENCY = [1, 50]
WARMUP = 0.5


class EchoServer(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


class EchoClient(asyncio.Protocol):
    def __init__(self, msg, deadline, done):
        self.msg, self.deadline, self.done = msg, deadline, done
        self.pending = 0
        self.count = 0

    def connection_made(self, transport):
        self.transport = transport
        self.pending = len(self.msg)
        transport.write(self.msg)

    def data_received(self, data):
        self.pending -= len(data)
        if self.pending > 0:
            return
        self.count += 1
        if time.perf_counter() >= self.deadline[0]:
            self.transport.close()
            self.done.set_result(self.count)
            return
        self.pending = len(self.msg)
        self.transport.write(self.msg)


async def stream_handler(reader, writer):
    while True:
        data = await reader.read(65536)
        if not data:
            break
        writer.write(data)
        await writer.drain()
    writer.close()


async def stream_client(port, msg, deadline):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    count = 0
    n = len(msg)
    while True:
        writer.write(msg)
        await reader.readexactly(n)
        count += 1
        if time.perf_counter() >= deadline[0]:
            break
    writer.close()
    await writer.wait_closed()
    return count


async def run_case(kind, size, conc, seconds):
    loop = asyncio.get_running_loop()
    msg = b"x" * size
    if kind == "protocols":
        server = await loop.create_server(EchoServer, "127.0.0.1", 0)
    else:
        server = await asyncio.start_server(stream_handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    best = 0.0
    # A warm-up, then the best of three timed runs (the machine may be shared).
    for i, duration in enumerate((WARMUP, seconds, seconds, seconds)):
        deadline = [time.perf_counter() + duration]
        t0 = time.perf_counter()
        if kind == "protocols":
            futs = []
            for _ in range(conc):
                done = loop.create_future()
                await loop.create_connection(lambda: EchoClient(msg, deadline, done), "127.0.0.1", port)
                futs.append(done)
            counts = await asyncio.gather(*futs)
        else:
            counts = await asyncio.gather(*(stream_client(port, msg, deadline) for _ in range(conc)))
        dt = time.perf_counter() - t0
        if i > 0:
            best = max(best, sum(counts) / dt)
    server.close()
    await server.wait_closed()
    await asyncio.sleep(0.05)
    return best


async def main(seconds):
    out = {}
    for kind in ("protocols", "streams"):
        for label, size in SIZES:
            for conc in CONCURRENCY:
                out[f"{kind} {label} x{conc}"] = await run_case(kind, size, conc, seconds)
    return out


if __name__ == "__main__":
    impl, seconds = sys.argv[1], float(sys.argv[2])
    if impl == "uvloop":
        import uvloop
        result = uvloop.run(main(seconds))
    else:
        result = asyncio.run(main(seconds))
    print(json.dumps(result))
