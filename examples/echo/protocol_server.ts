// Echo server with a Protocol class, from "import asyncio" (Petr Viktorin, Pyvo 2014), in tulip.
// Usage: node dist/examples/echo/protocol_server.js [port]   (or ECHO_PORT=…; default 8888; 0: a free port)
import * as asyncio from "tulip";
import { str, tuple } from "tulip/py";

const PORT = Number(process.argv[2] ?? process.env.ECHO_PORT ?? 8888);

class EchoServer extends asyncio.Protocol {
  transport!: asyncio.Transport;

  override connection_made(transport: asyncio.Transport): void {
    const peername = transport.get_extra_info("peername");
    console.log(`connection from ${str(tuple(peername))}`);
    this.transport = transport;
  }

  override data_received(data: Uint8Array): void {
    console.log(`data received: ${Buffer.from(data).toString()}`);
    this.transport.write(data);

    // close the socket
    this.transport.close();
  }
}

const loop = asyncio.new_event_loop() as asyncio.NodeEventLoop;
asyncio.set_event_loop(loop);
const coro = loop.create_server(EchoServer, "127.0.0.1", PORT);
const server = await loop.run_until_complete(coro);
console.log(`serving on ${str(tuple(server.sockets[0].getsockname()))}`);

// Ctrl-C: Python raises KeyboardInterrupt out of run_forever(); a callback raising it does the same here.
process.once("SIGINT", () => loop.call_soon_threadsafe(() => { throw new asyncio.KeyboardInterrupt(); }));
try {
  await loop.run_forever();
} catch (e) {
  if (!(e instanceof asyncio.KeyboardInterrupt)) throw e;
  console.log("exit");
} finally {
  server.close();
  loop.close();
}
