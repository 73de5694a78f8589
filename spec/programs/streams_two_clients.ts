// One server, two clients connected at once: each handler task serves its own client.
import * as asyncio from "tulip";

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop();
  const greeted: string[] = [];
  const all_greeted = loop.create_future<null>();
  const finished: string[] = [];
  const all_finished = loop.create_future<null>();

  async function handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): Promise<void> {
    const name = Buffer.from(await reader.readline()).toString().trim();
    greeted.push(name);
    if (greeted.length === 2) {
      all_greeted.set_result(null);
    }
    await all_greeted;
    writer.write(Buffer.from(`hello ${name}, ${greeted.length} clients here\n`));
    await writer.drain();
    writer.close();
    await writer.wait_closed();
    finished.push(name);
    if (finished.length === 2) {
      all_finished.set_result(null);
    }
  }

  const server = await asyncio.start_server(handle, "127.0.0.1", 0);
  const port = (server.sockets[0].getsockname() as [string, number])[1];

  async function client(name: string): Promise<string> {
    const [reader, writer] = await asyncio.open_connection("127.0.0.1", port);
    writer.write(Buffer.from(name + "\n"));
    await writer.drain();
    const reply = Buffer.from(await reader.readline()).toString().trim();
    writer.close();
    await writer.wait_closed();
    return reply;
  }

  const replies = await asyncio.gather(client("ann"), client("bob"));
  for (const r of replies) {
    console.log(r);
  }
  console.log("server saw", "[" + [...greeted].sort().map((g) => `'${g}'`).join(", ") + "]");
  await all_finished;
  server.close();
  await server.wait_closed();
}

await asyncio.run(main());
