// tulip's own async functions are coroutines, as CPython's are (scripts/build.mjs compiles
// them): a connect that hangs is timed out by wait_for and cancelled by Task.cancel at the
// await it is suspended on, and its socket is closed. The hang: a TLS handshake with a
// server that accepts the TCP connection and never answers.
import * as net from "node:net";
import * as asyncio from "../../asyncio/index.js";
import { run } from "./_net.js";

const { ssl } = asyncio;

/** A TCP server that accepts and says nothing; `closed()` resolves when its peer has gone. */
async function silentServer(): Promise<{ port: number; accepted: () => Promise<void>; closed: () => Promise<void>; stop: () => void }> {
  const sockets: net.Socket[] = [];
  let onAccept: () => void = () => {};
  let onClose: () => void = () => {};
  let accepted = new Promise<void>((r) => (onAccept = r));
  let closed = new Promise<void>((r) => (onClose = r));
  const server = net.createServer((s) => {
    sockets.push(s);
    s.resume(); // read (and drop) what comes, so that the peer's close is seen
    s.on("close", () => onClose());
    s.on("error", () => {});
    onAccept();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    closed: () => closed,
    stop: () => {
      for (const s of sockets) s.destroy();
      server.close();
      accepted = closed = Promise.resolve();
    },
  };
}

test("wait_for(open_connection(…), t) times out at t while the TLS handshake hangs, and closes the socket", async () => {
  const srv = await silentServer();
  try {
    await run(async () => {
      const loop = asyncio.get_running_loop();
      const t0 = loop.time();
      const e = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", srv.port, { ssl: ssl.create_default_context() }), 0.2).catch((x) => x);
      expect(e).toBeInstanceOf(asyncio.TimeoutError);
      const elapsed = loop.time() - t0;
      expect(elapsed).toBeGreaterThanOrEqual(0.19);
      expect(elapsed).toBeLessThan(5); // the default ssl_handshake_timeout is 60 s
      await srv.closed();
    });
  } finally {
    srv.stop();
  }
});

test("cancel() of a task suspended in loop.create_connection cancels it there and closes the socket", async () => {
  const srv = await silentServer();
  try {
    await run(async () => {
      const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
      const task = asyncio.create_task(loop.create_connection(asyncio.Protocol, "127.0.0.1", srv.port, { ssl: ssl.create_default_context() }));
      await srv.accepted();
      expect(task.cancel("stop connecting")).toBe(true);
      let e: unknown = null;
      try {
        await task;
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(asyncio.CancelledError);
      expect((e as Error).message).toBe("stop connecting");
      expect(task.cancelled()).toBe(true);
      await srv.closed();
    });
  } finally {
    srv.stop();
  }
});

test("loop.create_connection() and open_connection() are lazy coroutines: nothing connects before they are awaited", async () => {
  const srv = await silentServer();
  let connected = false;
  void srv.accepted().then(() => (connected = true));
  try {
    await run(async () => {
      const coro = asyncio.open_connection("127.0.0.1", srv.port);
      expect(asyncio.iscoroutine(coro)).toBe(true);
      await asyncio.sleep(0.05);
      expect(connected).toBe(false);
      const [, writer] = await coro;
      await srv.accepted();
      expect(connected).toBe(true);
      writer.close();
      await writer.wait_closed();
    });
  } finally {
    srv.stop();
  }
});
