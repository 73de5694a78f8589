"""The anchors for bench/echo.bench.mjs: loopback echo on CPython asyncio or uvloop.

python echo_anchor.py asyncio|uvloop reads commands on stdin, one per line:
    KIND SIZE CONC SECONDS      (KIND: protocols or streams)
and answers each with one line: the round trips per second that CONC clients sending SIZE-byte
messages reached in SECONDS. The process stays up between commands so that the Node side can
interleave these runs with its own (the machine's load drifts; runs far apart in time are
not comparable). Server and clients share one loop and one process, as in the Node runs;
each kind's server is made once.
"""
import asyncio
import json
import sys
import time


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


async def once(server_port, kind, msg, conc, seconds):
    """CONC clients do round trips until the deadline; returns round trips per second."""
    loop = asyncio.get_running_loop()
    deadline = [time.perf_counter() + seconds]
    t0 = time.perf_counter()
    if kind == "protocols":
        futs = []
        for _ in range(conc):
            done = loop.create_future()
            await loop.create_connection(lambda: EchoClient(msg, deadline, done), "127.0.0.1", server_port)
            futs.append(done)
        counts = await asyncio.gather(*futs)
    else:
        counts = await asyncio.gather(*(stream_client(server_port, msg, deadline) for _ in range(conc)))
    return sum(counts) / (time.perf_counter() - t0)


async def main():
    loop = asyncio.get_running_loop()
    servers = {
        "protocols": await loop.create_server(EchoServer, "127.0.0.1", 0),
        "streams": await asyncio.start_server(stream_handler, "127.0.0.1", 0),
    }
    ports = {kind: srv.sockets[0].getsockname()[1] for kind, srv in servers.items()}
    # Commands come one at a time and the loop is idle between them: a blocking read is fine.
    for line in sys.stdin:
        kind, size, conc, seconds = line.split()
        rate = await once(ports[kind], kind, b"x" * int(size), int(conc), float(seconds))
        print(json.dumps(rate), flush=True)
    for srv in servers.values():
        srv.close()
        await srv.wait_closed()


if __name__ == "__main__":
    if sys.argv[1] == "uvloop":
        import uvloop

        uvloop.run(main())
    else:
        asyncio.run(main())
