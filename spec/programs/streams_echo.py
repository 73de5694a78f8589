"""An echo server over loopback with start_server and open_connection, line by line."""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    handler_done = loop.create_future()

    async def handle(reader, writer):
        try:
            while True:
                line = await reader.readline()
                if not line:
                    print("server: the client closed its side")
                    break
                print("server got", line.decode().strip())
                writer.write(line.upper())
                await writer.drain()
        finally:
            writer.close()
            await writer.wait_closed()
            handler_done.set_result(None)

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for word in ("hello", "tulip", "bye"):
        writer.write(word.encode() + b"\n")
        await writer.drain()
        reply = await reader.readline()
        print("client got", reply.decode().strip())
    writer.write_eof()
    print("client read after EOF:", await reader.read())
    await handler_done
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()
    print("serving after close:", server.is_serving())


asyncio.run(main())
