// Echo client with a Protocol class, from "import asyncio" (Petr Viktorin, Pyvo 2014), in tulip.
// Usage: node dist/examples/echo/protocol_client.js [port]   (or ECHO_PORT=…; default 8888)
import * as asyncio from "tulip";

const PORT = Number(process.argv[2] ?? process.env.ECHO_PORT ?? 8888);

class EchoClient extends asyncio.Protocol {
  message = "This is the message. It will be echoed.";

  override connection_made(transport: asyncio.Transport): void {
    transport.write(Buffer.from(this.message));
    console.log(`data sent: ${this.message}`);
  }

  override data_received(data: Uint8Array): void {
    console.log(`data received: ${Buffer.from(data).toString()}`);
  }

  override connection_lost(_exc: unknown): void {
    console.log("server closed the connection");
    asyncio.get_event_loop().stop();
  }
}

const loop = asyncio.new_event_loop() as asyncio.NodeEventLoop;
asyncio.set_event_loop(loop);
const coro = loop.create_connection(EchoClient, "127.0.0.1", PORT);
await loop.run_until_complete(coro);
await loop.run_forever();
loop.close();
