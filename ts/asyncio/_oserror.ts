/**
 * Node.js system errors as Python's OSError subclasses: Linux errno numbers, glibc's
 * strerror texts, and the subclass Python's `OSError(errno, msg)` constructor picks.
 */
import { constants } from "node:os";
import {
  BlockingIOError, BrokenPipeError, ConnectionAbortedError, ConnectionRefusedError, ConnectionResetError,
  FileNotFoundError, OSError, PermissionError, TimeoutError,
} from "./exceptions.js";

const E = constants.errno as Record<string, number>;

/** glibc's strerror() for the errors sockets raise; others fall back to libuv's text, capitalised. */
const STRERROR: Record<string, string> = {
  EADDRINUSE: "Address already in use", EADDRNOTAVAIL: "Cannot assign requested address",
  ECONNREFUSED: "Connection refused", ECONNRESET: "Connection reset by peer", EPIPE: "Broken pipe",
  ETIMEDOUT: "Connection timed out", EHOSTUNREACH: "No route to host", ENETUNREACH: "Network is unreachable",
  ECONNABORTED: "Software caused connection abort", ENOTCONN: "Transport endpoint is not connected",
  ENOENT: "No such file or directory", EACCES: "Permission denied", EPERM: "Operation not permitted",
  EINVAL: "Invalid argument", EAGAIN: "Resource temporarily unavailable", EMFILE: "Too many open files",
  EAFNOSUPPORT: "Address family not supported by protocol", EMSGSIZE: "Message too long",
  ENOTSOCK: "Socket operation on non-socket", ESHUTDOWN: "Cannot send after transport endpoint shutdown",
};

/** The Linux errno number for a Node error code ("ECONNREFUSED" → 111). */
export function errnoOf(code: string): number {
  return E[code] ?? 0;
}

/** Python's `os.strerror(errno)` for a Node error code. */
export function strerror(code: string, fallback = ""): string {
  const s = STRERROR[code];
  if (s !== undefined) return s;
  return fallback ? fallback[0].toUpperCase() + fallback.slice(1) : code;
}

/** Python's `OSError(errno, msg)`, which makes the subclass the errno names. */
export function makeOSError(errno: number, msg: string): OSError {
  const code = Object.keys(E).find((k) => E[k] === errno && k !== "EWOULDBLOCK") ?? "";
  let Cls: new (...a: unknown[]) => OSError = OSError;
  switch (code) {
    case "EPIPE": case "ESHUTDOWN": Cls = BrokenPipeError; break;
    case "ECONNABORTED": Cls = ConnectionAbortedError; break;
    case "ECONNREFUSED": Cls = ConnectionRefusedError; break;
    case "ECONNRESET": Cls = ConnectionResetError; break;
    case "ENOENT": Cls = FileNotFoundError; break;
    case "EACCES": case "EPERM": Cls = PermissionError; break;
    case "EAGAIN": case "EALREADY": case "EINPROGRESS": Cls = BlockingIOError; break;
    case "ETIMEDOUT": Cls = TimeoutError; break;
  }
  return new Cls(errno, msg);
}

interface NodeSysError extends Error {
  code?: string;
  errno?: number;
  syscall?: string;
}

/** A Node system error as the OSError Python raises for it ("[Errno 104] Connection reset by peer"). */
export function fromNodeError(err: unknown): unknown {
  if (err instanceof OSError) return err;
  const e = err as NodeSysError;
  if (e === null || typeof e !== "object" || typeof e.code !== "string" || !(e.code in E)) return err;
  const no = errnoOf(e.code);
  const uvText = typeof e.message === "string" ? (/^\w+ E[A-Z]+ ?(.*)$/.exec(e.message)?.[1] ?? "") : "";
  const exc = makeOSError(no, strerror(e.code, uvText));
  exc.__cause__ = err;
  return exc;
}

/** Python's repr of a socket address: `('127.0.0.1', 8888)`, `('::1', 8888, 0, 0)`, `'/tmp/sock'`. */
export function addrRepr(addr: unknown): string {
  if (Array.isArray(addr)) {
    const parts = addr.map((x) => (typeof x === "string" ? `'${x}'` : String(x)));
    return `(${parts.join(", ")}${parts.length === 1 ? "," : ""})`;
  }
  if (typeof addr === "string") return `'${addr}'`;
  return addr === null || addr === undefined ? "None" : String(addr);
}
