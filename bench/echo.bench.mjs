// Loopback echo: 1 KiB and 64 KiB messages, 1 and 50 concurrent connections, request /
// response round trips. tulip protocols, tulip streams (handler and client in four coroutine
// forms: plain and compiled async functions from bench/echo_plain.mjs, lazy, generator) and raw
// Node `net` run here; CPython asyncio and uvloop (protocols and streams) run in
// bench/echo_anchor.py workers. Server and clients share one process and one loop. Each case:
// a warm-up, then three rounds in which every implementation, Node's and Python's, runs once
// (interleaved), best rate each. Prints round trips/s, MB/s (payload echoed per second) and
// ratios.
import { spawnSync } from "node:child_process";
import * as net from "node:net";
import { fileURLToPath } from "node:url";
import * as asyncio from "../dist/asyncio/index.js";
import { importCompiled, pythonWorker } from "./_harness.mjs";
import * as plainStreams from "./echo_plain.mjs";

// glibc's malloc trimming makes Node's 64 KiB figures swing 2x: fix the threshold for every
// run (Node and the Python anchors, which inherit the environment). Setting it also freezes
// glibc's mmap threshold at 128 KiB, which makes CPython 10x slower (each 256 KiB recv buffer
// becomes an mmap/munmap pair): raise that threshold too.
if (!process.env.MALLOC_TRIM_THRESHOLD_) {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit", env: { ...process.env, MALLOC_TRIM_THRESHOLD_: String(128 << 20), MALLOC_MMAP_THRESHOLD_: String(4 << 20) },
  });
  process.exit(r.status ?? 1);
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 0.5);
const WARMUP = 0.5;
const SIZES = [["1KiB", 1024], ["64KiB", 65536]];
const CONCURRENCY = [1, 50];
const now = () => performance.now() / 1000;

// ---- raw Node net ----

/** A raw `net` echo server; its `once` runs `conc` clients until the deadline. */
async function rawNet() {
  const server = net.createServer((s) => {
    s.setNoDelay(true);
    s.on("data", (d) => s.write(d));
    s.on("error", () => {});
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const port = server.address().port;
  const once = (msg, conc, deadline) => Promise.all(Array.from({ length: conc }, () => new Promise((resolve) => {
    const c = net.connect({ port, host: "127.0.0.1", noDelay: true }, () => c.write(msg));
    let pending = msg.length, count = 0;
    c.on("data", (d) => {
      pending -= d.length;
      if (pending > 0) return;
      count++;
      if (now() >= deadline) { c.destroy(); resolve(count); return; }
      pending = msg.length;
      c.write(msg);
    });
  }))).then((counts) => counts.reduce((a, b) => a + b, 0));
  return { once, close: () => new Promise((r) => server.close(r)) };
}

// ---- tulip ----

class EchoServer extends asyncio.Protocol {
  connection_made(t) { this.transport = t; }
  data_received(d) { this.transport.write(d); }
}

class EchoClient extends asyncio.Protocol {
  constructor(msg, deadline, done) { super(); this.msg = msg; this.deadline = deadline; this.done = done; this.pending = 0; this.count = 0; }
  connection_made(t) { this.transport = t; this.pending = this.msg.length; t.write(this.msg); }
  data_received(d) {
    this.pending -= d.length;
    if (this.pending > 0) return;
    this.count++;
    if (now() >= this.deadline) { this.transport.close(); this.done.set_result(this.count); return; }
    this.pending = this.msg.length;
    this.transport.write(this.msg);
  }
}

// The lazy form: asyncio.coroutine(async …). The plain and compiled forms are bench/echo_plain.mjs.
const streamHandler = asyncio.coroutine(async function handler(reader, writer) {
  for (;;) {
    const data = await reader.read(65536);
    if (data.length === 0) break;
    writer.write(data);
    await writer.drain();
  }
  writer.close();
});

const streamClient = asyncio.coroutine(async function client(port, msg, deadline) {
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
});

// The same two coroutines written as generators (`yield*`, the 2014 style): no native promise
// per await (see bench/README.md, "Echo").
const genHandler = asyncio.coroutine(function* handler(reader, writer) {
  for (;;) {
    const data = yield* reader.read(65536);
    if (data.length === 0) break;
    writer.write(data);
    yield* writer.drain();
  }
  writer.close();
});

const genClient = asyncio.coroutine(function* client(port, msg, deadline) {
  const [reader, writer] = yield* asyncio._await(asyncio.open_connection("127.0.0.1", port));
  let count = 0;
  for (;;) {
    writer.write(msg);
    yield* reader.readexactly(msg.length);
    count++;
    if (now() >= deadline) break;
  }
  writer.close();
  yield* writer.wait_closed();
  return count;
});

const compiled = await importCompiled(fileURLToPath(new URL("./echo_plain.mjs", import.meta.url)));
if (compiled.skip) throw new Error(`echo bench: ${compiled.skip} (npm run build)`);
const STREAM_FORMS = {
  "streams-gen": [genHandler, genClient],
  "streams-lazy": [streamHandler, streamClient],
  "streams-plain": [plainStreams.handler, plainStreams.client],
  "streams-compiled": [compiled.module.handler, compiled.module.client],
};

/** A tulip echo server of `kind`; its `once` runs `conc` clients until the deadline. */
async function tulip(kind) {
  const loop = asyncio.get_running_loop();
  const [handler, client] = STREAM_FORMS[kind] ?? [null, null];
  const server = kind === "protocols"
    ? await loop.create_server(EchoServer, "127.0.0.1", 0)
    : await asyncio.start_server(handler, "127.0.0.1", 0);
  const port = server.sockets[0].getsockname()[1];
  const once = async (msg, conc, deadline) => {
    let counts;
    if (kind === "protocols") {
      const futs = [];
      for (let i = 0; i < conc; i++) {
        const done = loop.create_future();
        await loop.create_connection(() => new EchoClient(msg, deadline, done), "127.0.0.1", port);
        futs.push(done);
      }
      counts = await asyncio.gather(...futs);
    } else {
      counts = await asyncio.gather(...Array.from({ length: conc }, () => client(port, msg, deadline)));
    }
    return counts.reduce((a, b) => a + b, 0);
  };
  return { once, close: async () => { server.close(); await server.wait_closed(); } };
}

// ---- run ----

const cases = [];
for (const [label, size] of SIZES) for (const conc of CONCURRENCY) cases.push({ label, size, conc, name: `${label} x${conc}` });
// Every Node-side implementation runs inside one tulip loop (raw `net` too: the loop is idle
// then), and each cell interleaves all of them with the Python anchors (two worker processes,
// one on asyncio, one on uvloop): a warm-up run each, then ROUNDS rounds in which each runs
// once, best rate kept. The machine's load drifts over a run; interleaving spreads the drift
// over all of them instead of charging it to whichever ran in a bad moment.
const ROUNDS = 3;
const NODE_IMPLS = {
  "tulip protocols": "protocols", "tulip streams (plain)": "streams-plain", "tulip streams (compiled)": "streams-compiled",
  "tulip streams (lazy)": "streams-lazy", "tulip streams (gen)": "streams-gen", "node net": null,
};
const PY_IMPLS = { "asyncio protocols": ["asyncio", "protocols"], "asyncio streams": ["asyncio", "streams"], "uvloop protocols": ["uvloop", "protocols"], "uvloop streams": ["uvloop", "streams"] };
const results = {};
const workers = { asyncio: pythonWorker("echo_anchor.py", ["asyncio"]), uvloop: pythonWorker("echo_anchor.py", ["uvloop"]) };
await asyncio.run(asyncio.coroutine(async function main() {
  const servers = {};
  for (const [name, kind] of Object.entries(NODE_IMPLS)) servers[name] = kind === null ? await rawNet() : await tulip(kind);
  for (const c of cases) {
    const msg = Buffer.alloc(c.size, 120);
    const best = (results[c.name] = {});
    for (let round = 0; round <= ROUNDS; round++) {
      const seconds = round === 0 ? WARMUP : SECONDS;
      const keep = (name, rate) => {
        if (round > 0) best[name] = Math.max(best[name] ?? 0, rate);
      };
      for (const name of Object.keys(NODE_IMPLS)) {
        const t0 = now();
        const count = await servers[name].once(msg, c.conc, t0 + seconds);
        keep(name, count / (now() - t0));
      }
      for (const [name, [impl, kind]] of Object.entries(PY_IMPLS)) {
        keep(name, await workers[impl].ask(`${kind} ${c.size} ${c.conc} ${seconds}`));
      }
    }
  }
  for (const server of Object.values(servers)) await server.close();
})());
await Promise.all(Object.values(workers).map((w) => w.close()));

const fmt = (x) => (x >= 1e3 ? (x / 1e3).toFixed(1) + "k" : x.toFixed(0));
const impls = [...Object.keys(NODE_IMPLS), ...Object.keys(PY_IMPLS)];
console.log("Round trips per second (MB/s of payload echoed in brackets):\n");
console.log(`| case | ${impls.join(" | ")} |`);
console.log(`|---|${impls.map(() => "---").join("|")}|`);
for (const c of cases) {
  const r = results[c.name];
  console.log(`| ${c.name} | ${impls.map((i) => `${fmt(r[i])} (${(r[i] * c.size / 1e6).toFixed(1)})`).join(" | ")} |`);
}
const TULIP_STREAMS = Object.keys(NODE_IMPLS).filter((n) => n.startsWith("tulip streams"));
const ratios = [
  ["tulip protocols / node net", "tulip protocols", "node net"],
  ...TULIP_STREAMS.map((n) => [`${n} / node net`, n, "node net"]),
  ["tulip protocols / asyncio protocols", "tulip protocols", "asyncio protocols"],
  ...TULIP_STREAMS.map((n) => [`${n} / asyncio streams`, n, "asyncio streams"]),
  ["tulip protocols / uvloop protocols", "tulip protocols", "uvloop protocols"],
  ...TULIP_STREAMS.map((n) => [`${n} / uvloop streams`, n, "uvloop streams"]),
];
console.log(`\n| ratio | ${cases.map((c) => c.name).join(" | ")} |`);
console.log(`|---|${cases.map(() => "---").join("|")}|`);
for (const [name, a, b] of ratios) console.log(`| ${name} | ${cases.map((c) => (results[c.name][a] / results[c.name][b]).toFixed(2) + "x").join(" | ")} |`);
