"""One server, two clients connected at once: each handler task serves its own client."""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    greeted = []
    all_greeted = loop.create_future()
    finished = []
    all_finished = loop.create_future()

    async def handle(reader, writer):
        name = (await reader.readline()).decode().strip()
        greeted.append(name)
        if len(greeted) == 2:
            all_greeted.set_result(None)
        await all_greeted
        writer.write(f"hello {name}, {len(greeted)} clients here\n".encode())
        await writer.drain()
        writer.close()
        await writer.wait_closed()
        finished.append(name)
        if len(finished) == 2:
            all_finished.set_result(None)

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    async def client(name):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(name.encode() + b"\n")
        await writer.drain()
        reply = (await reader.readline()).decode().strip()
        writer.close()
        await writer.wait_closed()
        return reply

    replies = await asyncio.gather(client("ann"), client("bob"))
    for r in replies:
        print(r)
    print("server saw", sorted(greeted))
    await all_finished
    server.close()
    await server.wait_closed()


asyncio.run(main())
