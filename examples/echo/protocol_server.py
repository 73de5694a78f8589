# Echo server with a Protocol class, from "import asyncio" (Petr Viktorin, Pyvo 2014).
# Usage: python3 protocol_server.py [port]   (or ECHO_PORT=…; default 8888; 0 picks a free port)
import asyncio
import os
import sys

PORT = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ECHO_PORT", 8888))


class EchoServer(asyncio.Protocol):
    def connection_made(self, transport):
        peername = transport.get_extra_info('peername')
        print('connection from {}'.format(peername))
        self.transport = transport

    def data_received(self, data):
        print('data received: {}'.format(data.decode()))
        self.transport.write(data)

        # close the socket
        self.transport.close()


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
coro = loop.create_server(EchoServer, '127.0.0.1', PORT)
server = loop.run_until_complete(coro)
print('serving on {}'.format(server.sockets[0].getsockname()))

try:
    loop.run_forever()
except KeyboardInterrupt:
    print("exit")
finally:
    server.close()
    loop.close()
