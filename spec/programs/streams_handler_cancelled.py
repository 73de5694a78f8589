"""Closing the server and cancelling a handler blocked in readline(): the handler sees CancelledError."""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    started = loop.create_future()
    handlers = []

    async def handle(reader, writer):
        handlers.append(asyncio.current_task())
        started.set_result(None)
        try:
            await reader.readline()
            print("handler read a line")
        except asyncio.CancelledError:
            print("handler cancelled in readline()")
            raise
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await started
    server.close()
    handlers[0].cancel()
    try:
        await handlers[0]
    except asyncio.CancelledError:
        print("main: handler task cancelled")
    print("client reads:", await reader.read())
    writer.close()
    await writer.wait_closed()
    await server.wait_closed()


asyncio.run(main())
