// Helpers for the network tests: run a CPython script for the expected output, capture the
// loop's log, run a coroutine on a fresh loop, and count Node's live handles.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as asyncio from "../../asyncio/index.js";
import { logger, type LogRecord } from "../../asyncio/log.js";

const here = dirname(fileURLToPath(import.meta.url));
/** ts/test/fixtures/net (the .py files are not compiled: read them from the source tree). */
export const fixtures = join(here, "..", "..", "..", "ts", "test", "fixtures", "net");

/** Runs `python3 fixtures/net/<script> args…` and returns its stdout lines (throws on failure). */
export function cpython(script: string, ...args: string[]): string[] {
  const r = spawnSync("python3", [join(fixtures, script), ...args], { encoding: "utf8", timeout: 20000 });
  if (r.status !== 0) throw new Error(`python3 ${script} failed (${r.status}): ${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l !== "");
}

/** Runs `main` (a zero-argument async function: a lazy coroutine) with asyncio.run. */
export function run<T>(main: () => Promise<T>): Promise<T> {
  return asyncio.run(asyncio.coroutine(main)()) as Promise<T>;
}

/** Collects the asyncio logger's records while `fn` runs (nothing reaches stderr). */
export async function captureLog<T>(fn: () => Promise<T>): Promise<[T, LogRecord[]]> {
  const records: LogRecord[] = [];
  const saved = logger.handlers;
  logger.handlers = [(r) => records.push(r)];
  try {
    return [await fn(), records];
  } finally {
    logger.handlers = saved;
  }
}

/** Python's repr of bytes, for logs compared with CPython's: b'abc'. */
export function br(b: Uint8Array): string {
  let s = "b'";
  for (const c of b) {
    if (c === 0x27) s += "\\'";
    else if (c === 0x5c) s += "\\\\";
    else if (c === 0x0a) s += "\\n";
    else if (c === 0x0d) s += "\\r";
    else if (c === 0x09) s += "\\t";
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += "\\x" + c.toString(16).padStart(2, "0");
  }
  return s + "'";
}

/** Python's repr of an exception or None: ConnectionResetError(104, 'Connection reset by peer'). */
export function er(exc: unknown): string {
  if (exc === null || exc === undefined) return "None";
  const e = exc as Error & { args?: unknown[] };
  const args = (e.args ?? [e.message]).map((a) => (typeof a === "string" ? `'${a}'` : String(a)));
  return `${e.name}(${args.join(", ")})`;
}

export const bytes = (s: string): Buffer => Buffer.from(s, "latin1");

/** Node's live sockets and servers (TCP, pipe, UDP handles). */
export function liveSockets(): number {
  return process.getActiveResourcesInfo().filter((r) => /TCP|Pipe|UDP/.test(r)).length;
}

/** Waits (a few macrotask turns, at most ~2 s) until Node has released closed handles. */
export async function settleHandles(target: number): Promise<number> {
  for (let i = 0; i < 200 && liveSockets() > target; i++) await new Promise((r) => setTimeout(r, 10));
  return liveSockets();
}

/** Closes a server and waits until its connections are gone too (3.11's wait_closed only waits when called before close()). */
export async function closeServer(srv: asyncio.Server): Promise<void> {
  const loop = srv.get_loop() as asyncio.BaseEventLoop;
  const waiter = loop.create_task(() => srv.wait_closed());
  await asyncio.sleep(0);
  srv.close();
  await waiter;
}
