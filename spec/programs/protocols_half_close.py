"""eof_received() returning True keeps the transport open: the server answers after the client's EOF."""
import asyncio


class Summer(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.total = 0

    def data_received(self, data):
        self.total += sum(int(x) for x in data.decode().split())

    def eof_received(self):
        self.transport.write(f"sum={self.total}".encode())
        self.transport.close()
        return True


class Client(asyncio.Protocol):
    def __init__(self, done):
        self.done = done
        self.chunks = []

    def connection_made(self, transport):
        transport.write(b"1 2 3 ")
        transport.write(b"4 5")
        print("client can write EOF:", transport.can_write_eof())
        transport.write_eof()

    def data_received(self, data):
        self.chunks.append(data)

    def eof_received(self):
        print("client: eof_received")

    def connection_lost(self, exc):
        self.done.set_result(b"".join(self.chunks).decode())


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Summer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    done = loop.create_future()
    await loop.create_connection(lambda: Client(done), "127.0.0.1", port)
    print("the server answered", await done)
    server.close()
    await server.wait_closed()


asyncio.run(main())
