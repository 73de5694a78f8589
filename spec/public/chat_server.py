"""A TCP chat server in the style of the asyncio streams chat examples: each client sends its
name, then lines; the server broadcasts every line to the other clients and says who joined and
who left. Three clients on 127.0.0.1 take turns, each reading what the others said, so the
transcript is deterministic."""
import asyncio


class ChatServer:
    def __init__(self):
        self.clients = {}  # name -> StreamWriter
        self.log = []

    async def broadcast(self, message, sender=None):
        for name, writer in list(self.clients.items()):
            if name != sender:
                writer.write((message + "\n").encode())
                await writer.drain()

    async def handle_client(self, reader, writer):
        name = (await reader.readline()).decode().strip()
        self.clients[name] = writer
        self.log.append(f"{name} connected from {writer.get_extra_info('peername')[0]}")
        await self.broadcast(f"* {name} joined", sender=name)
        try:
            async for line in reader:
                text = line.decode().rstrip("\n")
                if text == "/quit":
                    break
                await self.broadcast(f"{name}: {text}", sender=name)
        finally:
            del self.clients[name]
            self.log.append(f"{name} disconnected")
            await self.broadcast(f"* {name} left")
            writer.close()
            await writer.wait_closed()


class Client:
    def __init__(self, name):
        self.name = name
        self.heard = []

    async def connect(self, port):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        self.writer.write(f"{self.name}\n".encode())
        await self.writer.drain()

    async def say(self, text):
        self.writer.write(f"{text}\n".encode())
        await self.writer.drain()

    async def hear(self, n=1):
        for _ in range(n):
            line = await asyncio.wait_for(self.reader.readline(), timeout=5)
            self.heard.append(line.decode().rstrip("\n"))


async def main():
    chat = ChatServer()
    server = await asyncio.start_server(chat.handle_client, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        alice, bob, carol = Client("alice"), Client("bob"), Client("carol")
        await alice.connect(port)
        await asyncio.sleep(0.05)  # alice is in before bob connects
        await bob.connect(port)
        await alice.hear()
        await carol.connect(port)
        await asyncio.gather(alice.hear(), bob.hear())
        await alice.say("hello, everyone")
        await asyncio.gather(bob.hear(), carol.hear())
        await bob.say("hi alice")
        await asyncio.gather(alice.hear(), carol.hear())
        await carol.say("/quit")
        await asyncio.gather(alice.hear(), bob.hear())
        print("carol's connection ends:", await carol.reader.read() == b"")
        await bob.say("bye")
        await alice.hear()
        for c in (alice, bob):
            c.writer.close()
            await c.writer.wait_closed()
        while chat.clients:
            await asyncio.sleep(0.01)
    for c in (alice, bob, carol):
        print(f"{c.name} heard:")
        for line in c.heard:
            print("   ", line)
    print("server log:", sorted(chat.log))


asyncio.run(main())
