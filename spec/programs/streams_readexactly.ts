// readexactly() past the end raises IncompleteReadError with what arrived; readuntil() splits on a separator.
import * as asyncio from "tulip";

const text = (b: Uint8Array) => Buffer.from(b).toString();

async function main(): Promise<void> {
  const handler_done = asyncio.get_running_loop().create_future<null>();

  async function handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): Promise<void> {
    writer.write(Buffer.from("alpha|beta|gam"));
    await writer.drain();
    writer.close();
    await writer.wait_closed();
    handler_done.set_result(null);
  }

  const server = await asyncio.start_server(handle, "127.0.0.1", 0);
  const port = (server.sockets[0].getsockname() as [string, number])[1];
  const [reader, writer] = await asyncio.open_connection("127.0.0.1", port);
  console.log("first:", text(await reader.readuntil(Buffer.from("|"))));
  console.log("four bytes:", text(await reader.readexactly(4)));
  console.log("one more:", text(await reader.readexactly(1)));
  try {
    await reader.readexactly(10);
  } catch (e) {
    if (!(e instanceof asyncio.IncompleteReadError)) throw e;
    console.log(e.name, e.message);
    console.log("partial:", text(e.partial), "expected:", e.expected);
  }
  console.log("at EOF:", reader.at_eof() ? "True" : "False");
  writer.close();
  await writer.wait_closed();
  await handler_done;
  server.close();
  await server.wait_closed();
}

await asyncio.run(main());
