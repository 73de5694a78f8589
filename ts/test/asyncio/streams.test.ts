// Streams on loopback and StreamReader's limits, compared line by line with CPython running
// the same program (fixtures/net/streams_order.py).
import * as asyncio from "../../asyncio/index.js";
import { br, bytes, cpython, er, run } from "./_net.js";

const py = (b: boolean) => (b ? "True" : "False");
let log: string[] = [];

async function main(): Promise<void> {
  const handle = asyncio.coroutine(async function handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
    log.push(`S peer ${Array.isArray(writer.get_extra_info("peername")) ? "tuple" : "?"}`);
    const line = await reader.readline();
    log.push(`S line ${br(line)}`);
    writer.write(bytes(Buffer.from(line).toString("latin1").toUpperCase()));
    await writer.drain();
    let data = await reader.readexactly(5);
    log.push(`S exactly ${br(data)}`);
    try {
      await reader.readuntil(bytes("END"));
    } catch (e) {
      if (!(e instanceof asyncio.LimitOverrunError)) throw e;
      log.push(`S overrun '${e.args[0]}' consumed=${e.consumed}`);
      data = await reader.read(100);
      log.push(`S read after overrun ${data.length}`);
    }
    const rest = await reader.readuntil(bytes("!"));
    log.push(`S until ${br(rest)}`);
    try {
      await reader.readexactly(10);
    } catch (e) {
      if (!(e instanceof asyncio.IncompleteReadError)) throw e;
      log.push(`S incomplete partial=${br(e.partial)} expected=${e.expected} ${e.message}`);
    }
    log.push(`S at_eof ${py(reader.at_eof())}`);
    log.push(`S read at eof ${br(await reader.read())}`);
    writer.write(bytes("bye\n"));
    writer.write_eof();
    log.push(`S can_write_eof ${py(writer.can_write_eof())}`);
    writer.close();
    log.push(`S is_closing ${py(writer.is_closing())}`);
    await writer.wait_closed();
    log.push("S closed");
  });

  const server = await asyncio.start_server(handle, "127.0.0.1", 0, { limit: 16 });
  const port = server.sockets[0].getsockname()[1];
  const [reader, writer] = await asyncio.open_connection("127.0.0.1", port);
  log.push("C connected");
  writer.write(bytes("hello\n"));
  log.push(`C reply ${br(await reader.readline())}`);
  writer.writelines([bytes("ab"), bytes("cde")]);
  writer.write(bytes("x".repeat(40)));
  await asyncio.sleep(0.1);
  writer.write(bytes("tail!par"));
  writer.write_eof();
  const lines: string[] = [];
  for await (const line of reader) lines.push(br(line));
  log.push(`C lines [${lines.join(", ")}]`);
  log.push(`C at_eof ${py(reader.at_eof())}`);
  writer.close();
  await writer.wait_closed();
  log.push("C closed");
  server.close();
  await server.wait_closed();
}

async function limits(): Promise<void> {
  const r = new asyncio.StreamReader(4);
  r.feed_data(bytes("abcdefgh\nij\n"));
  try {
    await r.readline();
  } catch (e) {
    log.push(`readline ${(e as Error).name} ${(e as Error).message}`);
  }
  log.push(`then ${br(await r.readline())}`);
  r.feed_data(bytes("12345678"));
  try {
    await r.readline();
  } catch (e) {
    log.push(`readline ${(e as Error).name} ${(e as Error).message}`);
  }
  log.push(`buffer ${br(r._buffer)}`);
  r.feed_data(bytes("zz"));
  r.feed_eof();
  log.push(`partial line ${br(await r.readline())}`);
  log.push(`eof line ${br(await r.readline())}`);
  for (const f of [() => r.readuntil(bytes("")), () => r.readexactly(-1), async () => new asyncio.StreamReader(0)]) {
    try {
      await f();
    } catch (e) {
      log.push(`${(e as Error).name} ${(e as Error).message}`);
    }
  }
  const r2 = new asyncio.StreamReader();
  r2.feed_data(bytes("ab"));
  r2.set_exception(new asyncio.ConnectionResetError("gone"));
  try {
    await r2.read(1);
  } catch (e) {
    log.push(`read raises ${er(e)}`);
  }
  const r3 = new asyncio.StreamReader();
  const t = asyncio.ensure_future(() => r3.read(1));
  await asyncio.sleep(0);
  try {
    await r3.read(1);
  } catch (e) {
    log.push(`${(e as Error).name} ${(e as Error).message}`);
  }
  r3.feed_data(bytes("q"));
  log.push(`first reader ${br((await t) as Uint8Array)}`);
}

test("streams: readline, readexactly, readuntil over the limit, IncompleteReadError, EOF, close — as CPython", async () => {
  log = [];
  await run(main);
  expect(log).toEqual(cpython("streams_order.py"));
});

test("StreamReader limits and errors, as CPython", async () => {
  log = [];
  await run(limits);
  expect(log).toEqual(cpython("streams_order.py", "limits"));
});

test("read(n) hands back received chunks without copying when one chunk holds them", async () => {
  await run(async () => {
    const r = new asyncio.StreamReader();
    const a = bytes("abcdef");
    r.feed_data(a);
    const got = await r.read(100);
    expect(got).toBe(a);
    r.feed_data(a);
    const head = await r.readexactly(2);
    expect(head.buffer).toBe(a.buffer);
    expect(br(await r.read(-1 + 5))).toBe("b'cdef'");
  });
});
