# The echo server again, with streams (asyncio's documentation, "TCP echo server using streams").
# Usage: python3 stream_server.py [port]   (or ECHO_PORT=…; default 8888; 0 picks a free port)
import asyncio
import os
import sys

PORT = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ECHO_PORT", 8888))


async def handle_echo(reader, writer):
    data = await reader.read(100)
    message = data.decode()
    addr = writer.get_extra_info('peername')

    print(f"Received {message!r} from {addr!r}")

    print(f"Send: {message!r}")
    writer.write(data)
    await writer.drain()

    print("Close the connection")
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(handle_echo, '127.0.0.1', PORT)

    addrs = ', '.join(str(sock.getsockname()) for sock in server.sockets)
    print(f'Serving on {addrs}')

    async with server:
        await server.serve_forever()


try:
    asyncio.run(main())
except KeyboardInterrupt:
    print("exit")
