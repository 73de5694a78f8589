// Closing the server and cancelling a handler blocked in readline(): the handler sees CancelledError.
import * as asyncio from "tulip";

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop();
  const started = loop.create_future<null>();
  const handlers: asyncio.Task<unknown>[] = [];

  async function handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): Promise<void> {
    handlers.push(asyncio.current_task()!);
    started.set_result(null);
    try {
      await reader.readline();
      console.log("handler read a line");
    } catch (e) {
      if (e instanceof asyncio.CancelledError) console.log("handler cancelled in readline()");
      throw e;
    } finally {
      writer.close();
    }
  }

  const server = await asyncio.start_server(handle, "127.0.0.1", 0);
  const port = (server.sockets[0].getsockname() as [string, number])[1];
  const [reader, writer] = await asyncio.open_connection("127.0.0.1", port);
  await started;
  server.close();
  handlers[0].cancel();
  try {
    await handlers[0];
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("main: handler task cancelled");
  }
  console.log("client reads:", `b'${Buffer.from(await reader.read()).toString()}'`);
  writer.close();
  await writer.wait_closed();
  await server.wait_closed();
}

await asyncio.run(main());
