// Connecting to a closed port raises ConnectionRefusedError (an OSError with errno ECONNREFUSED).
import * as asyncio from "tulip";
import { constants } from "node:os";

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
  const server = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0);
  const port = (server.sockets[0].getsockname() as [string, number])[1];
  server.close();
  await server.wait_closed();
  try {
    await loop.create_connection(asyncio.Protocol, "127.0.0.1", port);
  } catch (e) {
    if (!(e instanceof asyncio.ConnectionRefusedError)) throw e;
    console.log(e.name, "errno is ECONNREFUSED:", e.errno === constants.errno.ECONNREFUSED ? "True" : "False");
    console.log("an OSError:", e instanceof asyncio.OSError ? "True" : "False");
  }
  try {
    await asyncio.open_connection("127.0.0.1", port);
  } catch (e) {
    if (!(e instanceof asyncio.OSError)) throw e;
    console.log("open_connection too:", e.name);
  }
}

await asyncio.run(main());
