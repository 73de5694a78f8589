# The echo client again, with streams (asyncio's documentation, "TCP echo client using streams").
# Usage: python3 stream_client.py [port]   (or ECHO_PORT=…; default 8888)
import asyncio
import os
import sys

PORT = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ECHO_PORT", 8888))


async def tcp_echo_client(message):
    reader, writer = await asyncio.open_connection('127.0.0.1', PORT)

    print(f'Send: {message!r}')
    writer.write(message.encode())
    await writer.drain()

    data = await reader.read(100)
    print(f'Received: {data.decode()!r}')

    print('Close the connection')
    writer.close()
    await writer.wait_closed()


asyncio.run(tcp_echo_client('This is the message. It will be echoed.'))
