// The echo benchmark's stream handler and client as plain async functions, as TypeScript users
// write them. bench/echo.bench.mjs runs this source as it is ("tulip streams (plain)": real
// JavaScript async functions, no compile step) and through tulip's compile step ("tulip streams
// (compiled)", what `node --import tulip/register` makes of it).
import * as asyncio from "../dist/asyncio/index.js";

const now = () => performance.now() / 1000;

export async function handler(reader, writer) {
  for (;;) {
    const data = await reader.read(65536);
    if (data.length === 0) break;
    writer.write(data);
    await writer.drain();
  }
  writer.close();
}

export async function client(port, msg, deadline) {
  const [reader, writer] = await asyncio.open_connection("127.0.0.1", port);
  let count = 0;
  for (;;) {
    writer.write(msg);
    await reader.readexactly(msg.length);
    count++;
    if (now() >= deadline) break;
  }
  writer.close();
  await writer.wait_closed();
  return count;
}
