"""async for over a StreamReader yields lines until EOF; readline() at EOF gives b''."""
import asyncio


async def main():
    handler_done = asyncio.get_running_loop().create_future()

    async def handle(reader, writer):
        writer.writelines([b"one\n", b"two\n", b"three"])
        await writer.drain()
        writer.write_eof()
        await reader.read()
        writer.close()
        await writer.wait_closed()
        handler_done.set_result(None)

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    async for line in reader:
        print("line:", line)
    print("after the loop:", await reader.readline())
    writer.close()
    await writer.wait_closed()
    await handler_done
    server.close()
    await server.wait_closed()


asyncio.run(main())
