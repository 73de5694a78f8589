// Unix-socket streams and UDP endpoints, compared line by line with CPython running the same
// program (fixtures/net/unix_udp.py).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as asyncio from "../../asyncio/index.js";
import { br, cpython, er, run } from "./_net.js";

let log: string[] = [];
const same = (a: unknown, b: unknown) => (JSON.stringify(a) === JSON.stringify(b) ? "True" : "False");
const pyr = (x: unknown) => (x === null ? "None" : typeof x === "string" ? `'${x}'` : `(${(x as unknown[]).map((v) => (typeof v === "string" ? `'${v}'` : v)).join(", ")})`);

async function unix(): Promise<void> {
  const p = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tulip-")), "echo.sock");
  const handle = asyncio.coroutine(async (r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
    log.push(`S peer ${pyr(w.get_extra_info("peername"))} sock ${same(w.get_extra_info("sockname"), p)}`);
    w.write(Buffer.from(Buffer.from(await r.readline()).toString().toUpperCase()));
    await w.drain();
    w.close();
  });
  const srv = await asyncio.start_unix_server(handle, p);
  const s = srv.sockets[0];
  log.push(`server family ${s.family} type ${s.type} name_ok ${same(s.getsockname(), p)}`);
  const [r, w] = await asyncio.open_unix_connection(p);
  log.push(`C peer_ok ${same(w.get_extra_info("peername"), p)} sockname ${pyr(w.get_extra_info("sockname"))}`);
  w.write(Buffer.from("over unix\n"));
  log.push(`C got ${br(await r.read())}`);
  w.close();
  await w.wait_closed();
  srv.close();
  await srv.wait_closed();
  try {
    await asyncio.open_unix_connection(p + ".missing");
  } catch (e) {
    log.push(`missing ${(e as Error).name} ${(e as asyncio.OSError).errno}`);
  }
}

class Echo extends asyncio.DatagramProtocol {
  t: any;
  override connection_made(t: any): void {
    this.t = t;
    log.push("S made");
  }
  override datagram_received(data: Uint8Array, addr: [string, number]): void {
    log.push(`S got ${br(data)} from_ok ${addr[0] === "127.0.0.1" ? "True" : "False"}`);
    this.t.sendto(Buffer.from(Buffer.from(data).toString().toUpperCase()), addr);
  }
  override connection_lost(exc: unknown): void {
    log.push(`S lost ${er(exc)}`);
  }
}

class Client extends asyncio.DatagramProtocol {
  constructor(readonly done: asyncio.Future<unknown>) {
    super();
  }
  override connection_made(t: any): void {
    log.push("C made");
    t.sendto(Buffer.from("ping"));
    t.sendto(Buffer.from("pong"));
  }
  override datagram_received(data: Uint8Array): void {
    log.push(`C got ${br(data)}`);
    if (Buffer.from(data).toString() === "PONG") this.done.set_result(null);
  }
  override error_received(exc: unknown): void {
    log.push(`C error ${er(exc)}`);
    this.done.set_result(null);
  }
  override connection_lost(exc: unknown): void {
    log.push(`C lost ${er(exc)}`);
  }
}

async function udp(): Promise<void> {
  const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
  const [st] = await loop.create_datagram_endpoint(Echo, { local_addr: ["127.0.0.1", 0] });
  const port = (st.get_extra_info("sockname") as [string, number])[1];
  log.push(`server sock type ${st.get_extra_info("socket").type} peername ${pyr(st.get_extra_info("peername"))}`);
  let done = loop.create_future();
  let [ct] = await loop.create_datagram_endpoint(() => new Client(done), { remote_addr: ["127.0.0.1", port] });
  log.push(`client peername_ok ${same(ct.get_extra_info("peername"), ["127.0.0.1", port])}`);
  await done;
  try {
    ct.sendto(Buffer.from("x"), ["127.0.0.1", 1]);
  } catch (e) {
    log.push(`ValueError ${(e as Error).message}`.replace(String(port), "PORT"));
  }
  ct.close();
  st.close();
  await asyncio.sleep(0.05);
  done = loop.create_future();
  [ct] = await loop.create_datagram_endpoint(() => new Client(done), { remote_addr: ["127.0.0.1", port] });
  await done;
  ct.close();
  await asyncio.sleep(0.05);
}

test("unix sockets: start_unix_server, open_unix_connection, names, a missing path", async () => {
  log = [];
  await run(unix);
  // Server and client lines are each in CPython's order; how they interleave depends on when
  // each socket's event is polled (see protocols_order.test's "pause").
  const expected = cpython("unix_udp.py", "unix");
  const side = (lines: string[], s: string) => lines.filter((l) => l.startsWith(s));
  expect(side(log, "S ")).toEqual(side(expected, "S "));
  expect(log.filter((l) => !l.startsWith("S "))).toEqual(expected.filter((l) => !l.startsWith("S ")));
});

test("UDP: create_datagram_endpoint with local_addr and remote_addr, sendto, error_received", async () => {
  log = [];
  await run(udp);
  expect(log).toEqual(cpython("unix_udp.py", "udp"));
});
