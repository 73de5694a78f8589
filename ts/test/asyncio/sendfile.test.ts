// loop.sendfile: the fallback (read + write with flow control), offset and count, the
// protocol put back afterwards; fallback=false raises SendfileNotAvailableError.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as asyncio from "../../asyncio/index.js";
import { closeServer, run } from "./_net.js";

test("sendfile sends the file's bytes (offset, count), then the protocol gets its transport back", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tulip-sf-"));
  const file = path.join(dir, "data.bin");
  const content = Buffer.alloc(3 << 20);
  for (let i = 0; i < content.length; i++) content[i] = i % 251;
  fs.writeFileSync(file, content);
  try {
    await run(async () => {
      const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
      const received = loop.create_future<Buffer>();
      const srv = await asyncio.start_server(asyncio.coroutine(async (r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
        received.set_result(Buffer.from(await r.read()));
        w.close();
      }), "127.0.0.1", 0);
      const lost: unknown[] = [];
      const proto = new (class extends asyncio.Protocol {
        override connection_lost(exc: unknown): void { lost.push(exc); }
      })();
      const [t] = await loop.create_connection(() => proto, "127.0.0.1", srv.sockets[0].getsockname()[1]);
      const sent = await loop.sendfile(t, file, 1000, 2 << 20);
      expect(sent).toBe(2 << 20);
      expect(t.get_protocol()).toBe(proto);
      expect(t.is_reading()).toBe(true);
      const rest = await loop.sendfile(t, file, (3 << 20) - 10);
      expect(rest).toBe(10);
      await expect(loop.sendfile(t, file, 0, null, { fallback: false })).rejects.toBeInstanceOf(asyncio.SendfileNotAvailableError);
      t.write_eof();
      const got = await received;
      expect(got.length).toBe((2 << 20) + 10);
      expect(got.subarray(0, 2 << 20).equals(content.subarray(1000, 1000 + (2 << 20)))).toBe(true);
      expect(got.subarray(2 << 20).equals(content.subarray((3 << 20) - 10))).toBe(true);
      t.close();
      await closeServer(srv);
      expect(lost).toEqual([null]);
      await expect(loop.sendfile(t, file)).rejects.toThrow("Transport is closing");
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
