// Faults: a peer resetting mid-write, a half-closed connection, a slow reader (bounded
// buffers, drain() waits), and 1,000 connections opened and closed with nothing leaked.
import * as asyncio from "../../asyncio/index.js";
import { captureLog, closeServer, liveSockets, run, settleHandles } from "./_net.js";

const baseline = liveSockets();
type Addr = [string, number];
const portOf = (srv: asyncio.Server) => (srv.sockets[0].getsockname() as Addr)[1];

test("a peer that resets mid-write: drain() raises a ConnectionError, the protocol sees it, nothing reaches the exception handler", async () => {
  const [, records] = await captureLog(() => run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const handlerCalls: unknown[] = [];
    loop.set_exception_handler((_l, ctx) => handlerCalls.push(ctx));
    const accepted = loop.create_future<asyncio.StreamWriter>();
    const srv = await asyncio.start_server((_r, w) => { accepted.set_result(w); }, "127.0.0.1", 0);
    const [reader, writer] = await asyncio.open_connection("127.0.0.1", portOf(srv));
    const serverWriter = await accepted;
    const chunk = Buffer.alloc(65536, 7);
    let sent = 0;
    let error: unknown = null;
    try {
      for (;;) {
        writer.write(chunk);
        sent += chunk.length;
        // The server side goes away with unread data in its buffer: the kernel sends RST.
        if (sent === 8 * 65536) serverWriter.transport.abort();
        await writer.drain();
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(asyncio.ConnectionError);
    expect(sent).toBeGreaterThanOrEqual(8 * 65536);
    // The reader gets the same error, or EOF if the reset came as a plain close first.
    try {
      await reader.read(10);
    } catch (e) {
      expect(e).toBeInstanceOf(asyncio.ConnectionError);
    }
    writer.write(chunk); // dropped silently: the connection is lost
    writer.close();
    try {
      await writer.wait_closed();
    } catch {
      // the reset, again
    }
    await closeServer(srv);
    expect(handlerCalls).toEqual([]);
  }));
  expect(records.filter((r) => r.level !== "DEBUG")).toEqual([]);
});

test("a half-closed connection: the client's write_eof(), then the server's reply still arrives in full", async () => {
  await run(async () => {
    const reply = Buffer.alloc(1 << 20, 5);
    const srv = await asyncio.start_server(asyncio.coroutine(async (r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
      const request = await r.read();
      expect(r.at_eof()).toBe(true);
      w.write(Buffer.from(`got ${request.length}\n`));
      w.write(reply);
      await w.drain();
      w.close();
      await w.wait_closed();
    }), "127.0.0.1", 0);
    const [reader, writer] = await asyncio.open_connection("127.0.0.1", portOf(srv));
    writer.write(Buffer.alloc(300000, 1));
    writer.write_eof();
    expect(writer.is_closing()).toBe(false);
    expect(Buffer.from(await reader.readline()).toString()).toBe("got 300000\n");
    const body = await reader.read();
    expect(body.length).toBe(reply.length);
    expect(reader.at_eof()).toBe(true);
    writer.close();
    await writer.wait_closed();
    await closeServer(srv);
  });
});

test("a slow reader: the writer's buffer stays under its high-water mark after each drain(), the reader's under 2×limit + a chunk", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const total = 8 << 20;
    const limit = 65536;
    let maxReaderBuffer = 0;
    let pausedSeen = false;
    const done = loop.create_future<number>();
    const srv = await asyncio.start_server(asyncio.coroutine(async (r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
      let got = 0;
      while (got < total) {
        const b = await r.read(16384);
        if (b.length === 0) break;
        got += b.length;
        maxReaderBuffer = Math.max(maxReaderBuffer, r._size);
        pausedSeen ||= r._paused;
        await asyncio.sleep(0.0005); // a slow consumer
      }
      done.set_result(got);
      w.close();
    }), "127.0.0.1", 0, { limit });
    const [, writer] = await asyncio.open_connection("127.0.0.1", portOf(srv));
    const [, high] = writer.transport.get_write_buffer_limits();
    let maxAfterDrain = 0;
    let drainsThatWaited = 0;
    const chunk = Buffer.alloc(65536, 9);
    for (let sent = 0; sent < total; sent += chunk.length) {
      writer.write(chunk);
      const before = writer.transport.get_write_buffer_size();
      await writer.drain();
      if (before > high) drainsThatWaited++;
      maxAfterDrain = Math.max(maxAfterDrain, writer.transport.get_write_buffer_size());
    }
    expect(await done).toBe(total);
    expect(drainsThatWaited).toBeGreaterThan(0);
    expect(maxAfterDrain).toBeLessThanOrEqual(high);
    expect(pausedSeen).toBe(true);
    expect(maxReaderBuffer).toBeLessThanOrEqual(2 * limit + 65536);
    writer.close();
    await writer.wait_closed();
    await closeServer(srv);
  });
}, 60000);

test("1,000 connections opened and closed in a loop leave no sockets, transports or server connections behind", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const srv = await asyncio.start_server(asyncio.coroutine(async (r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
      w.write(await r.readexactly(4));
      w.close();
    }), "127.0.0.1", 0);
    const during: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const [reader, writer] = await asyncio.open_connection("127.0.0.1", portOf(srv));
      writer.write(Buffer.from("ping"));
      expect(Buffer.from(await reader.read()).toString()).toBe("ping");
      writer.close();
      await writer.wait_closed();
      if (i % 250 === 0) during.push(liveSockets());
    }
    // Handles are released as connections close, not all at the end.
    expect(Math.max(...during)).toBeLessThan(baseline + 20);
    await closeServer(srv);
    expect(srv._active_count).toBe(0);
    expect(loop._ready.length).toBeLessThan(5);
  });
  expect(await settleHandles(baseline)).toBeLessThanOrEqual(baseline);
}, 60000);
