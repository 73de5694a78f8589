// async for over a StreamReader yields lines until EOF; readline() at EOF gives b''.
import * as asyncio from "tulip";

const bytes = (b: Uint8Array) => `b'${Buffer.from(b).toString().replace(/\n/g, "\\n")}'`;

async function main(): Promise<void> {
  const handler_done = asyncio.get_running_loop().create_future<null>();

  async function handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): Promise<void> {
    writer.writelines([Buffer.from("one\n"), Buffer.from("two\n"), Buffer.from("three")]);
    await writer.drain();
    writer.write_eof();
    await reader.read();
    writer.close();
    await writer.wait_closed();
    handler_done.set_result(null);
  }

  const server = await asyncio.start_server(handle, "127.0.0.1", 0);
  const port = (server.sockets[0].getsockname() as [string, number])[1];
  const [reader, writer] = await asyncio.open_connection("127.0.0.1", port);
  for await (const line of reader) {
    console.log("line:", bytes(line));
  }
  console.log("after the loop:", bytes(await reader.readline()));
  writer.close();
  await writer.wait_closed();
  await handler_done;
  server.close();
  await server.wait_closed();
}

await asyncio.run(main());
