// TLS: create_server/create_connection with an SSLContext, streams over TLS, start_tls
// (a STARTTLS-style upgrade), certificate errors. The key pair is made at test time with
// `openssl` (a self-signed certificate for localhost / 127.0.0.1, valid one day).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as asyncio from "../../asyncio/index.js";
import { closeServer, run } from "./_net.js";

const { ssl } = asyncio;
let dir = "";
let cert = "";
let key = "";
let haveOpenssl = true;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tulip-tls-"));
  cert = path.join(dir, "cert.pem");
  key = path.join(dir, "key.pem");
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
      "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { stdio: "ignore" });
  } catch {
    haveOpenssl = false;
    console.log("SKIP TLS tests: `openssl` is not available to make a test certificate");
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function contexts(): [asyncio.ssl.SSLContext, asyncio.ssl.SSLContext] {
  const server = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  server.load_cert_chain(cert, key);
  const client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cafile: cert });
  return [server, client];
}
type Addr = [string, number];
const portOf = (srv: asyncio.Server) => (srv.sockets[0].getsockname() as Addr)[1];

test("streams over TLS: handshake, echo, extra info (sslcontext, peercert, cipher, ssl_object)", async () => {
  if (!haveOpenssl) return;
  await run(async () => {
    const [sctx, cctx] = contexts();
    const srv = await asyncio.start_server(asyncio.coroutine(async (r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
      expect(w.get_extra_info("sslcontext")).toBe(sctx);
      w.write(await r.readline());
      await w.drain();
      w.close();
    }), "127.0.0.1", 0, { ssl: sctx });
    const [reader, writer] = await asyncio.open_connection("localhost", portOf(srv), { ssl: cctx });
    expect(writer.get_extra_info("sslcontext")).toBe(cctx);
    const peercert = writer.get_extra_info("peercert");
    expect(peercert.subject).toEqual([[["commonName", "localhost"]]]);
    expect(peercert.subjectAltName).toContainEqual(["DNS", "localhost"]);
    const [name, version, bits] = writer.get_extra_info("cipher");
    expect(typeof name).toBe("string");
    expect(version).toMatch(/^TLSv1\.[23]$/);
    expect(bits).toBeGreaterThan(0);
    expect(writer.get_extra_info("ssl_object").version()).toBe(version);
    expect(writer.get_extra_info("peername")).toEqual(["127.0.0.1", portOf(srv)]);
    writer.write(Buffer.from("secret line\n"));
    expect(Buffer.from(await reader.readline()).toString()).toBe("secret line\n");
    expect((await reader.read()).length).toBe(0);
    writer.close();
    await writer.wait_closed();
    await closeServer(srv);
  });
});

test("an untrusted certificate fails the handshake with SSLCertVerificationError; protocols see nothing", async () => {
  if (!haveOpenssl) return;
  await run(async () => {
    const [sctx] = contexts();
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const srv = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0, { ssl: sctx });
    const made: string[] = [];
    const e = await loop.create_connection(() => new (class extends asyncio.Protocol {
      override connection_made(): void { made.push("made"); }
    })(), "127.0.0.1", portOf(srv), { ssl: ssl.create_default_context() }).catch((x) => x);
    expect(e).toBeInstanceOf(ssl.SSLCertVerificationError);
    expect(e).toBeInstanceOf(asyncio.OSError);
    // CPython 3.11: "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)", 18
    expect(e.message).toBe("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)");
    expect([e.verify_code, e.verify_message, e.reason]).toEqual([18, "self-signed certificate", "CERTIFICATE_VERIFY_FAILED"]);
    expect(made).toEqual([]);
    // A trusted certificate for another name: CPython's code 62 and words.
    const [, cctx] = contexts();
    const m = await loop.create_connection(asyncio.Protocol, "127.0.0.1", portOf(srv), { ssl: cctx, server_hostname: "example.com" }).catch((x) => x);
    expect(m).toBeInstanceOf(ssl.SSLCertVerificationError);
    expect(m.message).toBe("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'example.com'. (_ssl.c:1006)");
    expect(m.verify_code).toBe(62);
    await expect(loop.create_connection(asyncio.Protocol, "127.0.0.1", portOf(srv), { ssl: true, server_hostname: null })).rejects.toBeTruthy();
    await closeServer(srv);
  });
});

test("start_tls: a plain connection upgraded in the middle (StreamWriter.start_tls on both ends)", async () => {
  if (!haveOpenssl) return;
  await run(async () => {
    const [sctx, cctx] = contexts();
    const srv = await asyncio.start_server(asyncio.coroutine(async (r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
      expect(Buffer.from(await r.readline()).toString()).toBe("STARTTLS\n");
      w.write(Buffer.from("GO\n"));
      await w.drain();
      await w.start_tls(sctx);
      expect(w.get_extra_info("sslcontext")).toBe(sctx);
      w.write(Buffer.from(`tls:${Buffer.from(await r.readline()).toString()}`));
      await w.drain();
      w.close();
    }), "127.0.0.1", 0);
    const [reader, writer] = await asyncio.open_connection("127.0.0.1", portOf(srv));
    expect(writer.get_extra_info("sslcontext")).toBe(null);
    writer.write(Buffer.from("STARTTLS\n"));
    expect(Buffer.from(await reader.readline()).toString()).toBe("GO\n");
    await writer.start_tls(cctx, { server_hostname: "localhost" });
    expect(writer.get_extra_info("sslcontext")).toBe(cctx);
    expect(writer.transport.get_extra_info("cipher")).not.toBe(null);
    writer.write(Buffer.from("hello\n"));
    expect(Buffer.from(await reader.readline()).toString()).toBe("tls:hello\n");
    writer.close();
    await writer.wait_closed();
    await closeServer(srv);
  });
});

test("TLS argument checks as CPython's", async () => {
  await run(async () => {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    await expect(loop.create_connection(asyncio.Protocol, null, 1, { ssl: true })).rejects.toThrow("You must set server_hostname when using ssl without a host");
    await expect(loop.create_connection(asyncio.Protocol, "127.0.0.1", 1, { ssl_handshake_timeout: 1 })).rejects.toThrow("ssl_handshake_timeout is only meaningful with ssl");
    expect(() => new ssl.SSLContext().load_verify_locations()).toThrow("cafile, capath and cadata cannot be all omitted");
  });
});

test("a handshake the server never answers ends at ssl_handshake_timeout, in CPython's words (the number as given)", async () => {
  await run(async () => {
    // A plain TCP server that accepts and says nothing until the client leaves: no certificate needed.
    const srv = await asyncio.start_server(async (r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
      await r.read();
      w.close();
    }, "127.0.0.1", 0);
    const port = srv.sockets[0].getsockname()[1];
    try {
      const ctx = ssl.create_default_context();
      let e: unknown = null;
      try {
        await asyncio.open_connection("127.0.0.1", port, { ssl: ctx, server_hostname: "localhost", ssl_handshake_timeout: 0.2 });
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(asyncio.ConnectionAbortedError);
      expect((e as Error).message).toBe("SSL handshake is taking longer than 0.2 seconds: aborting the connection");
    } finally {
      await closeServer(srv);
    }
  });
});

test("a client that rejects the server's certificate and closes ends the server's handshake at once (ConnectionResetError, as CPython), not at ssl_handshake_timeout", async () => {
  if (!haveOpenssl) return console.log("SKIP: no openssl");
  await run(async () => {
    const loop = asyncio.get_running_loop();
    loop.set_debug(true); // CPython reports a failed incoming handshake in debug mode only
    const reported = new asyncio.Event();
    const seen: string[] = [];
    loop.set_exception_handler((_l, ctx) => {
      const e = ctx.exception as Error | undefined;
      seen.push(`${ctx.message}: ${e?.name}(${e?.message ?? ""})`);
      reported.set();
    });
    const sctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    sctx.load_cert_chain(cert, key);
    const served: string[] = [];
    const srv = await asyncio.start_server(() => { served.push("connected"); }, "127.0.0.1", 0, { ssl: sctx, ssl_handshake_timeout: 60 });
    const port = srv.sockets[0].getsockname()[1];
    try {
      let client = "";
      try {
        await asyncio.open_connection("127.0.0.1", port, { ssl: ssl.create_default_context() }); // self-signed: refused
      } catch (e) {
        client = (e as Error).name;
      }
      expect(client).toBe("SSLCertVerificationError");
      await asyncio.wait_for(reported.wait(), 10); // long before the 60 s handshake timeout
      expect(seen).toEqual(["Error on transport creation for incoming connection: ConnectionResetError()"]);
      expect(served).toEqual([]);
    } finally {
      loop.set_debug(false);
      await closeServer(srv);
    }
  });
}, 20000);
