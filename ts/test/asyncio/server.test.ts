// create_server / create_connection: Server's API, addresses, extra info, CPython's errors.
import * as net from "node:net";
import * as asyncio from "../../asyncio/index.js";
import { bytes, closeServer, liveSockets, run, settleHandles } from "./_net.js";

// Jest's own pipes are there before any test.
const baseline = liveSockets();

type Addr = [string, number];
const portOf = (srv: asyncio.Server, i = 0) => (srv.sockets[i].getsockname() as Addr)[1];

test("Server: sockets, is_serving, start_serving: false, get_loop, close, wait_closed, repr", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const srv = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0, { start_serving: false, backlog: 10, reuse_address: true });
    expect(srv.is_serving()).toBe(false);
    expect(srv.get_loop()).toBe(loop);
    const sock = srv.sockets[0];
    expect([sock.family, sock.type, sock.proto]).toEqual([2, 1, 6]);
    expect(sock.getsockname()).toEqual(["127.0.0.1", portOf(srv)]);
    expect(String(srv)).toMatch(/^<Server sockets=\(<asyncio\.TransportSocket fd=\d+, family=2, type=1, proto=6, laddr=\('127\.0\.0\.1', \d+\)>,\)>$/);
    // Held until start_serving: connection_made runs only once serving starts.
    const made: string[] = [];
    const srv2 = await loop.create_server(() => new (class extends asyncio.Protocol {
      override connection_made(): void { made.push("made"); }
    })(), "127.0.0.1", 0, { start_serving: false });
    const [t] = await loop.create_connection(asyncio.Protocol, "127.0.0.1", portOf(srv2));
    await asyncio.sleep(0.05);
    expect(made).toEqual([]);
    await srv2.start_serving();
    expect(srv2.is_serving()).toBe(true);
    while (made.length === 0) await asyncio.sleep(0.01);
    t.close();
    srv.close();
    await closeServer(srv2);
    expect(srv.sockets).toEqual([]);
    expect(srv.is_serving()).toBe(false);
    await srv.wait_closed(); // 3.11: returns at once after close()
  });
});

test("create_server with a host list binds each, port 0 picks a port per socket", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const srv = await loop.create_server(asyncio.Protocol, ["127.0.0.1", "127.0.0.1"], 0);
    expect(srv.sockets.length).toBe(1); // duplicates bound once, as CPython's set()
    srv.close();
    const srv2 = await loop.create_server(asyncio.Protocol, ["127.0.0.1", "localhost"], 0);
    expect(srv2.sockets.length).toBeGreaterThanOrEqual(1);
    for (const s of srv2.sockets) expect([2, 10]).toContain(s.family);
    srv2.close();
  });
});

test("errors as CPython gives them: refused, address in use, bad arguments", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const e1 = await loop.create_connection(asyncio.Protocol, "127.0.0.1", 1).catch((e) => e);
    expect(e1).toBeInstanceOf(asyncio.ConnectionRefusedError);
    expect([e1.errno, e1.message]).toEqual([111, "[Errno 111] Connect call failed ('127.0.0.1', 1)"]);
    const e2 = await asyncio.open_connection("127.0.0.1", 1).catch((e) => e);
    expect(e2).toBeInstanceOf(asyncio.ConnectionRefusedError);
    const srv = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0);
    const port = portOf(srv);
    const e3 = await loop.create_server(asyncio.Protocol, "127.0.0.1", port).catch((e) => e);
    expect(e3).toBeInstanceOf(asyncio.OSError);
    expect(e3.errno).toBe(98);
    expect(e3.message).toBe(`[Errno 98] error while attempting to bind on address ('127.0.0.1', ${port}): address already in use`);
    srv.close();
    await expect(loop.create_connection(asyncio.Protocol, "127.0.0.1", 1, { server_hostname: "x" })).rejects.toThrow("server_hostname is only meaningful with ssl");
    await expect(loop.create_connection(asyncio.Protocol)).rejects.toThrow("host and port was not specified and no sock specified");
    await expect(loop.create_server(asyncio.Protocol)).rejects.toThrow("Neither host/port nor sock were specified");
    await expect(loop.create_server(asyncio.Protocol, "127.0.0.1", 0, { ssl: true })).rejects.toThrow("ssl argument must be an SSLContext or None");
    await expect(loop.create_server(asyncio.Protocol, "127.0.0.1", 0, { bogus: 1 } as any)).rejects.toThrow("create_server() got an unexpected keyword argument 'bogus'");
    await expect(loop.sock_recv()).rejects.toThrow(asyncio.NotImplementedError);
  });
});

test("serve_forever: cancelling it closes the server; async with closes too", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const srv = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0, { start_serving: false });
    const task = loop.create_task(() => srv.serve_forever());
    await asyncio.sleep(0);
    expect(srv.is_serving()).toBe(true);
    await expect(srv.serve_forever()).rejects.toThrow(/is already being awaited on serve_forever\(\)/);
    task.cancel();
    await expect(Promise.resolve(task)).rejects.toBeInstanceOf(asyncio.CancelledError);
    expect(srv.sockets).toEqual([]);
    await expect(srv.serve_forever()).rejects.toThrow(/is closed/);
    const srv2 = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0);
    await asyncio.asyncWith(srv2, async (s) => expect(s).toBe(srv2));
    expect(srv2.is_serving()).toBe(false);
    const srv3 = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0);
    expect(srv3.is_serving()).toBe(true);
    // `await using` calls this (Jest's VM context lacks Symbol.asyncDispose on Node 20, so call it directly).
    const key = (Symbol as any).asyncDispose;
    if (key) await (srv3 as any)[key]();
    else await srv3.__aexit__(null, null, null);
    expect(srv3.sockets).toEqual([]);
  });
});

test("wait_closed waits for the server's connections before close() (3.11)", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    let serverT: asyncio.Transport | null = null;
    const srv = await loop.create_server(() => new (class extends asyncio.Protocol {
      override connection_made(t: asyncio.Transport): void { serverT = t; }
    })(), "127.0.0.1", 0);
    const [t] = await loop.create_connection(asyncio.Protocol, "127.0.0.1", portOf(srv));
    while (serverT === null) await asyncio.sleep(0.01);
    const waiting = loop.create_task(() => srv.wait_closed());
    await asyncio.sleep(0);
    srv.close();
    await asyncio.sleep(0.02);
    expect(waiting.done()).toBe(false); // a connection is still attached
    (serverT as asyncio.Transport | null)!.close();
    await waiting;
    t.close();
  });
});

test("get_extra_info: peername, sockname, socket; transport state methods", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const srv = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0);
    const [t, p] = await loop.create_connection(asyncio.Protocol, "127.0.0.1", portOf(srv));
    expect(p).toBeInstanceOf(asyncio.Protocol);
    expect(t.get_extra_info("peername")).toEqual(["127.0.0.1", portOf(srv)]);
    const sn = t.get_extra_info("sockname") as Addr;
    expect(sn[0]).toBe("127.0.0.1");
    const s = t.get_extra_info("socket");
    expect(s.getpeername()).toEqual(["127.0.0.1", portOf(srv)]);
    expect(String(s)).toMatch(/raddr=\('127\.0\.0\.1', \d+\)>$/);
    expect(t.get_extra_info("nope", "dflt")).toBe("dflt");
    expect(t.get_extra_info("sslcontext")).toBe(null);
    expect(t.get_protocol()).toBe(p);
    expect(t.is_reading()).toBe(true);
    t.pause_reading();
    expect(t.is_reading()).toBe(false);
    t.resume_reading();
    expect(t.get_write_buffer_limits()).toEqual([16384, 65536]);
    t.set_write_buffer_limits(1000);
    expect(t.get_write_buffer_limits()).toEqual([250, 1000]);
    expect(() => t.set_write_buffer_limits(1, 2)).toThrow("high (1) must be >= low (2) must be >= 0");
    expect(() => t.write("str" as any)).toThrow("data argument must be a bytes-like object, not 'str'");
    expect(t).toBeInstanceOf(asyncio.Transport);
    expect(t).toBeInstanceOf(asyncio.ReadTransport);
    expect(t).toBeInstanceOf(asyncio.WriteTransport);
    expect(String(t)).toMatch(/^<_SelectorSocketTransport fd=\d+ read=polling write=<idle, bufsize=0>>$/);
    t.write_eof();
    expect(() => t.write(bytes("x"))).toThrow("Cannot call write() after write_eof()");
    t.abort();
    expect(t.is_closing()).toBe(true);
    await closeServer(srv);
  });
});

test("flow control: pause_writing over the high-water mark, resume_writing once drained", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const events: string[] = [];
    let received = 0;
    let serverT: asyncio.Transport | null = null;
    const srv = await loop.create_server(() => new (class extends asyncio.Protocol {
      override connection_made(t: asyncio.Transport): void { serverT = t; t.pause_reading(); }
      override data_received(d: Uint8Array): void { received += d.length; }
    })(), "127.0.0.1", 0);
    const resumed = loop.create_future();
    const [t] = await loop.create_connection(() => new (class extends asyncio.Protocol {
      override pause_writing(): void { events.push("pause_writing"); }
      override resume_writing(): void { events.push("resume_writing"); resumed.set_result(null); }
    })(), "127.0.0.1", portOf(srv));
    const total = 16 * 1024 * 1024;
    t.write(Buffer.alloc(total, 1));
    expect(events).toEqual(["pause_writing"]);
    expect(t.get_write_buffer_size()).toBeGreaterThan(65536);
    while (serverT === null) await asyncio.sleep(0.01);
    (serverT as asyncio.Transport | null)!.resume_reading();
    await resumed;
    expect(events).toEqual(["pause_writing", "resume_writing"]);
    expect(t.get_write_buffer_size()).toBeLessThanOrEqual(16384);
    while (received < total) await asyncio.sleep(0.01);
    t.close();
    await closeServer(srv);
  });
});

test("BufferedProtocol: get_buffer(-1) then buffer_updated(n) for every byte", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const buf = new Uint8Array(1000);
    const hints: number[] = [];
    let total = 0;
    let sum = 0;
    const done = loop.create_future();
    const srv = await loop.create_server(() => new (class extends asyncio.BufferedProtocol {
      override get_buffer(h: number): Uint8Array { hints.push(h); return buf; }
      override buffer_updated(n: number): void { total += n; for (let i = 0; i < n; i++) sum += buf[i]; }
      override eof_received(): void { done.set_result(null); }
    })(), "127.0.0.1", 0);
    const [t] = await loop.create_connection(asyncio.Protocol, "127.0.0.1", portOf(srv));
    t.write(Buffer.alloc(100000, 3));
    t.write_eof();
    await done;
    expect([total, sum]).toEqual([100000, 300000]);
    expect(new Set(hints)).toEqual(new Set([-1]));
    t.close();
    await closeServer(srv);
  });
});

test("connect_accepted_socket and create_connection(sock=) wrap Node sockets", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const accepted = loop.create_future<net.Socket>();
    const plain = net.createServer({ allowHalfOpen: true }, (s) => loop.call_soon_threadsafe(() => accepted.set_result(s)));
    await new Promise<void>((r) => plain.listen(0, "127.0.0.1", r));
    const port = (plain.address() as net.AddressInfo).port;
    const [r, w] = await asyncio.open_connection("127.0.0.1", port);
    const sock = await accepted;
    const [t] = await loop.connect_accepted_socket(asyncio.Protocol, sock);
    expect(t.get_extra_info("sockname")).toEqual(["127.0.0.1", port]);
    t.write(bytes("via accepted"));
    t.write_eof();
    expect(Buffer.from(await r.read()).toString()).toBe("via accepted");
    w.close();
    t.close();
    plain.close();
  });
});

test("name resolution: getaddrinfo and getnameinfo", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const infos = await loop.getaddrinfo("localhost", 80, { type: 1 });
    expect(infos.length).toBeGreaterThan(0);
    for (const [fam, type, proto, canon, sa] of infos) {
      expect([2, 10]).toContain(fam);
      expect([type, proto, canon]).toEqual([1, 6, ""]);
      expect((sa as Addr)[1]).toBe(80);
    }
    const all = await loop.getaddrinfo("127.0.0.1", "8080");
    expect(all.map((i) => i[1])).toEqual([1, 2, 3]);
    const [host] = await loop.getnameinfo(["127.0.0.1", 80]);
    expect(typeof host).toBe("string");
  });
});

test("no sockets left open by these tests", async () => {
  expect(await settleHandles(baseline)).toBeLessThanOrEqual(baseline);
});

test("data that Node's poll finds on several sockets at once is handled in one loop iteration, as select() returns every ready socket", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    let seen: Array<[string, number]> = [];
    let received = loop.create_future();
    const connected: asyncio.Future<unknown>[] = [loop.create_future(), loop.create_future()];
    let n = 0;
    const srv = await loop.create_server(() => {
      const i = n++;
      return new (class extends asyncio.Protocol {
        override connection_made(): void { connected[i].set_result(null); }
        override data_received(d: Uint8Array): void {
          seen.push([Buffer.from(d).toString(), loop._iteration]);
          if (seen.length === want) received.set_result(null);
        }
      })();
    }, "127.0.0.1", 0);
    const [a] = await loop.create_connection(asyncio.Protocol, "127.0.0.1", portOf(srv));
    await connected[0];
    const [b] = await loop.create_connection(asyncio.Protocol, "127.0.0.1", portOf(srv));
    await connected[1];
    let want = 1;
    try {
      // First one event per wake, twenty times: the loop then wakes in a microtask, for
      // latency (see _wakeForIO).
      for (let round = 0; round < 20; round++) {
        seen = [];
        received = loop.create_future();
        a.write(bytes("a"));
        await received;
      }
      want = 2;
      // Then each round's two writes leave in one callback: both server sockets are readable
      // at the next poll. The first round is handled in two iterations (a microtask wake per
      // event); the loop's next check-phase probe, within 64 wakes, finds the batch, and from
      // then on every round is one iteration.
      const together: boolean[] = [];
      for (let round = 0; round < 100; round++) {
        seen = [];
        received = loop.create_future();
        a.write(bytes("a"));
        b.write(bytes("b"));
        await received;
        expect(seen.map(([d]) => d)).toEqual(["a", "b"]);
        together.push(seen[0][1] === seen[1][1]);
      }
      expect(together[0]).toBe(false);
      expect(together.slice(-30)).toEqual(Array(30).fill(true));
    } finally {
      a.close();
      b.close();
      await closeServer(srv);
    }
  });
});

test("a port out of 0-65535 is CPython's OverflowError at bind or connect (issue 14, row 14), not Node's RangeError", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const refused = async (f: () => Promise<unknown>) => {
      try {
        await f();
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
      return "no error";
    };
    const bind = "OverflowError: bind(): port must be 0-65535.", connect = "OverflowError: connect(): port must be 0-65535.";
    expect(await refused(() => asyncio.start_server(() => {}, "127.0.0.1", 70000))).toBe(bind);
    expect(await refused(() => asyncio.open_connection("127.0.0.1", 70000))).toBe(connect);
    expect(await refused(() => asyncio.open_connection("127.0.0.1", -1))).toBe(connect);
    expect(await refused(() => loop.create_datagram_endpoint(() => new asyncio.DatagramProtocol(), { local_addr: ["127.0.0.1", 65536] }))).toBe(bind);
    expect(await refused(() => loop.create_datagram_endpoint(() => new asyncio.DatagramProtocol(), { remote_addr: ["127.0.0.1", 70000] }))).toBe(connect);
    const e = await asyncio.start_server(() => {}, "127.0.0.1", 70000).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(asyncio.OverflowError);
    expect(e).toBeInstanceOf(asyncio.ArithmeticError);
  });
});
