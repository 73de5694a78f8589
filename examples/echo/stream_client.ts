// The echo client again, with streams (asyncio's "TCP echo client using streams"), in tulip.
// Usage: node dist/examples/echo/stream_client.js [port]   (or ECHO_PORT=…; default 8888)
import * as asyncio from "tulip";
import { repr } from "tulip/py";

const PORT = Number(process.argv[2] ?? process.env.ECHO_PORT ?? 8888);

const tcp_echo_client = asyncio.coroutine(async function tcp_echo_client(message: string) {
  const [reader, writer] = await asyncio.open_connection("127.0.0.1", PORT);

  console.log(`Send: ${repr(message)}`);
  writer.write(Buffer.from(message));
  await writer.drain();

  const data = await reader.read(100);
  console.log(`Received: ${repr(Buffer.from(data).toString())}`);

  console.log("Close the connection");
  writer.close();
  await writer.wait_closed();
});

await asyncio.run(tcp_echo_client("This is the message. It will be echoed."));
