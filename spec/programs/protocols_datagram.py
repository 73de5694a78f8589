"""UDP over loopback with create_datagram_endpoint: a ping and its pong."""
import asyncio


class Pong(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        print("server got", data.decode())
        self.transport.sendto(data.replace(b"ping", b"pong"), addr)


class Ping(asyncio.DatagramProtocol):
    def __init__(self, answer):
        self.answer = answer

    def connection_made(self, transport):
        transport.sendto(b"ping 1")

    def datagram_received(self, data, addr):
        self.answer.set_result(data.decode())

    def connection_lost(self, exc):
        print("client connection_lost", exc)


async def main():
    loop = asyncio.get_running_loop()
    server, _ = await loop.create_datagram_endpoint(Pong, local_addr=("127.0.0.1", 0))
    port = server.get_extra_info("sockname")[1]
    answer = loop.create_future()
    client, _ = await loop.create_datagram_endpoint(lambda: Ping(answer), remote_addr=("127.0.0.1", port))
    print("client got", await answer)
    client.close()
    await asyncio.sleep(0)
    server.close()


asyncio.run(main())
