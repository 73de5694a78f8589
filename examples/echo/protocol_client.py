# Echo client with a Protocol class, from "import asyncio" (Petr Viktorin, Pyvo 2014).
# Usage: python3 protocol_client.py [port]   (or ECHO_PORT=…; default 8888)
import asyncio
import os
import sys

PORT = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ECHO_PORT", 8888))


class EchoClient(asyncio.Protocol):
    message = 'This is the message. It will be echoed.'

    def connection_made(self, transport):
        transport.write(self.message.encode())
        print('data sent: {}'.format(self.message))

    def data_received(self, data):
        print('data received: {}'.format(data.decode()))

    def connection_lost(self, exc):
        print('server closed the connection')
        asyncio.get_event_loop().stop()


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
coro = loop.create_connection(EchoClient, '127.0.0.1', PORT)
loop.run_until_complete(coro)
loop.run_forever()
loop.close()
