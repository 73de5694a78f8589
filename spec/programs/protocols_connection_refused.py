"""Connecting to a closed port raises ConnectionRefusedError (an OSError with errno ECONNREFUSED)."""
import asyncio
import errno


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    try:
        await loop.create_connection(asyncio.Protocol, "127.0.0.1", port)
    except ConnectionRefusedError as e:
        print(type(e).__name__, "errno is ECONNREFUSED:", e.errno == errno.ECONNREFUSED)
        print("an OSError:", isinstance(e, OSError))
    try:
        await asyncio.open_connection("127.0.0.1", port)
    except OSError as e:
        print("open_connection too:", type(e).__name__)


asyncio.run(main())
