// An echo server over loopback with start_server and open_connection, line by line.
import * as asyncio from "tulip";

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop();
  const handler_done = loop.create_future<null>();

  async function handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): Promise<void> {
    try {
      while (true) {
        const line = await reader.readline();
        if (line.length === 0) {
          console.log("server: the client closed its side");
          break;
        }
        console.log("server got", Buffer.from(line).toString().trim());
        writer.write(Buffer.from(Buffer.from(line).toString().toUpperCase()));
        await writer.drain();
      }
    } finally {
      writer.close();
      await writer.wait_closed();
      handler_done.set_result(null);
    }
  }

  const server = await asyncio.start_server(handle, "127.0.0.1", 0);
  const port = (server.sockets[0].getsockname() as [string, number])[1];
  const [reader, writer] = await asyncio.open_connection("127.0.0.1", port);
  for (const word of ["hello", "tulip", "bye"]) {
    writer.write(Buffer.from(word + "\n"));
    await writer.drain();
    const reply = await reader.readline();
    console.log("client got", Buffer.from(reply).toString().trim());
  }
  writer.write_eof();
  console.log("client read after EOF:", `b'${Buffer.from(await reader.read()).toString()}'`);
  await handler_done;
  writer.close();
  await writer.wait_closed();
  server.close();
  await server.wait_closed();
  console.log("serving after close:", server.is_serving() ? "True" : "False");
}

await asyncio.run(main());
