// The echo server again, with streams (asyncio's "TCP echo server using streams"), in tulip.
// Usage: node dist/examples/echo/stream_server.js [port]   (or ECHO_PORT=…; default 8888; 0: a free port)
import * as asyncio from "tulip";
import { repr, str, tuple } from "tulip/py";

const PORT = Number(process.argv[2] ?? process.env.ECHO_PORT ?? 8888);

const handle_echo = asyncio.coroutine(async function handle_echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
  const data = await reader.read(100);
  const message = Buffer.from(data).toString();
  const addr = writer.get_extra_info("peername");

  console.log(`Received ${repr(message)} from ${repr(tuple(addr))}`);

  console.log(`Send: ${repr(message)}`);
  writer.write(data);
  await writer.drain();

  console.log("Close the connection");
  writer.close();
  await writer.wait_closed();
});

const main = asyncio.coroutine(async function main() {
  const server = await asyncio.start_server(handle_echo, "127.0.0.1", PORT);

  const addrs = server.sockets.map((sock) => str(tuple(sock.getsockname()))).join(", ");
  console.log(`Serving on ${addrs}`);

  // async with server: await server.serve_forever()
  await asyncio.asyncWith(server, () => server.serve_forever());
});

// Ctrl-C: asyncio.run() cancels main, then raises KeyboardInterrupt, as in Python.
try {
  await asyncio.run(main());
} catch (e) {
  if (!(e instanceof asyncio.KeyboardInterrupt)) throw e;
  console.log("exit");
}
