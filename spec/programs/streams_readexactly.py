"""readexactly() past the end raises IncompleteReadError with what arrived; readuntil() splits on a separator."""
import asyncio


async def main():
    handler_done = asyncio.get_running_loop().create_future()

    async def handle(reader, writer):
        writer.write(b"alpha|beta|gam")
        await writer.drain()
        writer.close()
        await writer.wait_closed()
        handler_done.set_result(None)

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    print("first:", (await reader.readuntil(b"|")).decode())
    print("four bytes:", (await reader.readexactly(4)).decode())
    print("one more:", (await reader.readexactly(1)).decode())
    try:
        await reader.readexactly(10)
    except asyncio.IncompleteReadError as e:
        print(type(e).__name__, str(e))
        print("partial:", e.partial.decode(), "expected:", e.expected)
    print("at EOF:", reader.at_eof())
    writer.close()
    await writer.wait_closed()
    await handler_done
    server.close()
    await server.wait_closed()


asyncio.run(main())
