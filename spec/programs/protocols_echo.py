"""create_server / create_connection with Protocol classes: each side's callbacks, in order."""
import asyncio


class EchoServer(asyncio.Protocol):
    def __init__(self, log, lost):
        self.log = log
        self.lost = lost

    def connection_made(self, transport):
        self.transport = transport
        self.log.append("server: connection_made")

    def data_received(self, data):
        self.log.append(f"server: data_received {data.decode()}")
        self.transport.write(data[::-1])

    def eof_received(self):
        self.log.append("server: eof_received")

    def connection_lost(self, exc):
        self.log.append(f"server: connection_lost {exc}")
        self.lost.set_result(None)


class Client(asyncio.Protocol):
    def __init__(self, got, lost):
        self.got = got
        self.lost = lost

    def connection_made(self, transport):
        print("client: connection_made")
        transport.write(b"stressed")

    def data_received(self, data):
        print("client: data_received", data.decode())
        self.got.set_result(data)

    def connection_lost(self, exc):
        print("client: connection_lost", exc)
        self.lost.set_result(None)


async def main():
    loop = asyncio.get_running_loop()
    server_log = []
    server_lost = loop.create_future()
    server = await loop.create_server(lambda: EchoServer(server_log, server_lost), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    got = loop.create_future()
    client_lost = loop.create_future()
    transport, protocol = await loop.create_connection(lambda: Client(got, client_lost), "127.0.0.1", port)
    print("create_connection returned our protocol:", isinstance(protocol, Client))
    await got
    transport.close()
    await client_lost
    await server_lost
    for line in server_log:
        print(line)
    server.close()
    await server.wait_closed()


asyncio.run(main())
