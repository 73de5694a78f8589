/**
 * The wire protocol: each ZeroMQ message carries one or more frames, each a msgpack array
 * `[kind, id, ...]`, back to back (a sender batches what it has queued for one peer, up to
 * {@link BATCH_FRAMES} frames or {@link BATCH_BYTES} bytes); the same as
 * `py/tulip_bridge/wire.py`, which documents each kind's fields.
 *
 * Ids are the caller's: CALL/STREAM/CANCEL/PULL name a call the sender made, RESULT/ERROR/
 * ITEM/END answer one the receiver made. HEARTBEAT carries the sender's session id; CALL and
 * STREAM carry the receiver's session as the caller knows it, so a restarted peer refuses
 * calls meant for its earlier life (at most once, never silently).
 */
import { decode, decodeMany, encode } from "./codec.js";

/** A sender puts at most this many frames, or bytes (unless one frame is larger), in one message. */
export const BATCH_FRAMES = 64;
export const BATCH_BYTES = 64 * 1024;

export const CALL = 1, STREAM = 2, RESULT = 3, ERROR = 4, CANCEL = 5, ITEM = 6, END = 7, PULL = 8, HEARTBEAT = 9;
export const KIND_NAMES: Record<number, string> = {
  1: "CALL", 2: "STREAM", 3: "RESULT", 4: "ERROR", 5: "CANCEL", 6: "ITEM", 7: "END", 8: "PULL", 9: "HEARTBEAT",
};
const ARITY: Record<number, number> = { 1: 7, 2: 7, 3: 3, 4: 3, 5: 3, 6: 3, 7: 2, 8: 3, 9: 4 };

/**
 * A frame that is not a valid message of this protocol. `replyAs` is the exception type a call
 * refused for it is answered with (TypeError for a field of the wrong type).
 */
export class ProtocolError extends Error {
  constructor(message: string, readonly replyAs: "TypeError" | "ValueError" = "TypeError") {
    super(message);
  }
}
Object.defineProperty(ProtocolError.prototype, "name", { value: "ProtocolError", writable: true, configurable: true });

/**
 * A frame that does not decode but whose extent could be read, so the frames after it still
 * count; `kind` and `id` are its kind and id when its head could be read.
 */
export class BadFrame extends ProtocolError {
  constructor(message: string, readonly kind: number | null, readonly id: number | null) {
    super(message, "ValueError");
  }
}

/** The deepest nesting named in the refusal of a frame too deep to decode (msgpack's encoders stop at 512). */
export const MAX_DEPTH = 512;

export type Frame = [number, number, ...unknown[]];

export function encodeFrame(...fields: unknown[]): Buffer {
  return encode(fields, "frame");
}

/** Decodes a message holding exactly one frame and checks it; throws ProtocolError. */
export function decodeFrame(data: Uint8Array): Frame {
  let f: unknown;
  try {
    f = decode(data);
  } catch (e) {
    throw new ProtocolError(`undecodable frame: ${(e as Error).message}`);
  }
  return checkFrame(f);
}

/**
 * Decodes every frame of a message: `[value, encoded size]` for each, and a {@link BadFrame}
 * for one that does not decode: the frames after it still count, unless it is truncated or not
 * msgpack at all, when it is the last.
 */
export function decodeFrames(data: Uint8Array): Array<[unknown, number] | ProtocolError> {
  const out: Array<[unknown, number] | ProtocolError> = [];
  let rest = data;
  while (rest.length > 0) {
    const failed = decodeMany(rest, (v, size) => void out.push([v, size]));
    if (failed === null) break;
    const bad = rest.subarray(failed.at);
    const [kind, id] = head(bad);
    let end: number;
    let depth: number;
    try {
      [end, depth] = scan(bad);
    } catch (e) {
      out.push(new BadFrame(`undecodable frame: ${(e as Error).message}`, kind, id)); // the rest is lost
      break;
    }
    const why = depth > MAX_DEPTH ? `nested ${depth} levels deep (the limit is ${MAX_DEPTH})` : ((failed.error as Error)?.message ?? String(failed.error));
    out.push(new BadFrame(`undecodable frame: ${why}`, kind, id));
    rest = bad.subarray(end);
  }
  return out;
}

// msgpack heads: fixed-size payloads; [length width, extra bytes] for bin/str/ext; [count width, values per entry].
const FIXED: Record<number, number> = { 0xca: 4, 0xcb: 8, 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8, 0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8,
  0xd4: 2, 0xd5: 3, 0xd6: 5, 0xd7: 9, 0xd8: 17 };
const SIZED: Record<number, [number, number]> = { 0xc4: [1, 0], 0xc5: [2, 0], 0xc6: [4, 0], 0xc7: [1, 1], 0xc8: [2, 1], 0xc9: [4, 1],
  0xd9: [1, 0], 0xda: [2, 0], 0xdb: [4, 0] };
const CONTAINERS: Record<number, [number, number]> = { 0xdc: [2, 1], 0xdd: [4, 1], 0xde: [2, 2], 0xdf: [4, 2] };

function uint(b: Uint8Array, at: number, width: number): number {
  let v = 0;
  for (let i = 0; i < width; i++) v = v * 256 + b[at + i];
  return v;
}

/**
 * Where the msgpack value at the start of `b` ends, and how deep it nests, without decoding it
 * (no recursion: any depth). Throws ProtocolError if it is truncated or not msgpack.
 */
export function scan(b: Uint8Array): [end: number, depth: number] {
  const n = b.length;
  const stack = [1]; // values still to read at each open level
  let depth = 0;
  let pos = 0;
  while (stack.length > 0) {
    if (stack[stack.length - 1] === 0) {
      stack.pop();
      continue;
    }
    stack[stack.length - 1]--;
    if (pos >= n) throw new ProtocolError("truncated");
    const t = b[pos++];
    let children = 0;
    if (t <= 0x7f || t >= 0xe0 || t === 0xc0 || t === 0xc2 || t === 0xc3) {
      // a scalar in its head byte
    } else if (t <= 0x8f) children = 2 * (t & 0x0f);
    else if (t <= 0x9f) children = t & 0x0f;
    else if (t <= 0xbf) pos += t & 0x1f;
    else if (Object.hasOwn(FIXED, t)) pos += FIXED[t];
    else if (Object.hasOwn(SIZED, t)) {
      const [width, extra] = SIZED[t];
      if (pos + width > n) throw new ProtocolError("truncated");
      pos += width + extra + uint(b, pos, width);
    } else if (Object.hasOwn(CONTAINERS, t)) {
      const [width, per] = CONTAINERS[t];
      if (pos + width > n) throw new ProtocolError("truncated");
      children = per * uint(b, pos, width);
      pos += width;
    } else throw new ProtocolError(`byte 0x${t.toString(16)} is not msgpack`);
    if (children > 0) {
      stack.push(children);
      depth = Math.max(depth, stack.length - 1);
    }
  }
  if (pos > n) throw new ProtocolError("truncated");
  return [pos, depth];
}

/**
 * The kind and id at the start of an encoded frame (an array of at least two), read from its
 * first bytes alone: what lets a frame that does not decode still be answered.
 */
export function head(b: Uint8Array): [kind: number | null, id: number | null] {
  if (b.length === 0) return [null, null];
  let pos = 1;
  if (b[0] >= 0x92 && b[0] <= 0x9f) {
    // fixarray of 2 or more
  } else if (b[0] === 0xdc || b[0] === 0xdd) pos += b[0] === 0xdc ? 2 : 4;
  else return [null, null];
  if (pos >= b.length || b[pos] > 0x7f) return [null, null];
  const kind = b[pos++];
  if (pos >= b.length) return [kind, null];
  const t = b[pos];
  if (t <= 0x7f) return [kind, t];
  const width = ({ 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8 } as Record<number, number>)[t];
  if (width === undefined || pos + 1 + width > b.length) return [kind, null];
  const id = uint(b, pos + 1, width);
  return [kind, Number.isSafeInteger(id) ? id : null];
}

/** A decoded frame's kind and id, each null where it is not what the protocol wants. */
export function kindAndId(f: unknown): [kind: number | null, id: number | null] {
  if (!Array.isArray(f) || f.length < 2) return [null, null];
  return [Number.isInteger(f[0]) ? f[0] : null, Number.isSafeInteger(f[1]) && f[1] >= 0 ? f[1] : null];
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return "nil";
  if (Array.isArray(v)) return "array";
  if (v instanceof Uint8Array) return "bin";
  if (v instanceof Map || (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype)) return "map";
  return typeof v === "object" ? (v as object).constructor?.name ?? "object" : typeof v;
}

function isMapLike(v: unknown): boolean {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * Checks a decoded value's shape as a frame, and the types of a CALL's or STREAM's fields;
 * throws ProtocolError (`replyAs` says how a refused call is answered) if it is not one.
 */
export function checkFrame(f: unknown): Frame {
  if (!Array.isArray(f) || f.length < 2) throw new ProtocolError("a frame is an array [kind, id, ...]");
  const [kind, id] = f;
  if (typeof kind !== "number" || !Object.hasOwn(ARITY, kind) || (f.length !== ARITY[kind] && !(kind === HEARTBEAT && f.length === 5))) {
    throw new ProtocolError(`unknown kind or wrong length: kind=${String(kind).slice(0, 20)}, ${f.length} fields`);
  }
  if (typeof id !== "number" || !Number.isInteger(id) || id < 0) throw new ProtocolError(`bad id ${String(id).slice(0, 20)}`);
  if (kind === CALL || kind === STREAM) {
    const [, , name, args, kwargs, extra, session] = f;
    if (typeof name !== "string") throw new ProtocolError(`the function name must be a str, not ${typeName(name)}`);
    if (!Array.isArray(args)) throw new ProtocolError(`args must be an array, not ${typeName(args)}`);
    if (!(kwargs === null || isMapLike(kwargs))) throw new ProtocolError(`kwargs must be a map with string keys, or nil, not ${typeName(kwargs)}`);
    if (!(session === null || typeof session === "string")) throw new ProtocolError(`session must be a str or nil, not ${typeName(session)}`);
    if (kind === CALL && extra !== null) {
      if (typeof extra !== "number") throw new ProtocolError(`timeout must be a number of seconds or nil, not ${typeName(extra)}`);
      if (!(extra >= 0)) throw new ProtocolError(`timeout must be >= 0, not ${extra}`, "ValueError");
    }
    if (kind === STREAM) {
      if (typeof extra !== "number" || !Number.isInteger(extra)) throw new ProtocolError(`credit must be an int, not ${typeName(extra)}`);
      if (extra < 1) throw new ProtocolError(`credit must be >= 1, not ${extra}`, "ValueError");
    }
  }
  if (kind === HEARTBEAT && f.length === 5) {
    const names = f[4];
    if (!Array.isArray(names) || names.length > 10_000 || !names.every((n) => typeof n === "string")) {
      throw new ProtocolError(`a HEARTBEAT's idempotent names must be an array of str, not ${typeName(names)}`);
    }
  }
  return f as Frame;
}

/** `id` of a CALL/STREAM frame, to answer it with an error even when it is not acceptable. */
export function callId(f: unknown): number | null {
  return Array.isArray(f) && (f[0] === CALL || f[0] === STREAM) && Number.isInteger(f[1]) && f[1] >= 0 ? f[1] : null;
}
