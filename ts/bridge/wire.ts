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

/** A frame that is not a valid message of this protocol. */
export class ProtocolError extends Error {}
Object.defineProperty(ProtocolError.prototype, "name", { value: "ProtocolError", writable: true, configurable: true });

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
 * Decodes every frame of a message: `[value, encoded size]` for each, then, if the rest of the
 * message is not msgpack, a ProtocolError (what came before it still counts).
 */
export function decodeFrames(data: Uint8Array): Array<[unknown, number] | ProtocolError> {
  const out: Array<[unknown, number] | ProtocolError> = [];
  try {
    decodeMany(data, (v, size) => void out.push([v, size]));
  } catch (e) {
    out.push(new ProtocolError(`undecodable frame: ${(e as Error).message}`));
  }
  return out;
}

/** Checks a decoded value's shape as a frame; throws ProtocolError if it is not one. */
export function checkFrame(f: unknown): Frame {
  if (!Array.isArray(f) || f.length < 2) throw new ProtocolError("a frame is an array [kind, id, ...]");
  const [kind, id] = f;
  if (typeof kind !== "number" || !Object.hasOwn(ARITY, kind) || f.length !== ARITY[kind]) {
    throw new ProtocolError(`unknown kind or wrong length: kind=${String(kind).slice(0, 20)}, ${f.length} fields`);
  }
  if (typeof id !== "number" || !Number.isInteger(id) || id < 0) throw new ProtocolError(`bad id ${String(id).slice(0, 20)}`);
  if (kind === CALL || kind === STREAM) {
    const kw = f[4];
    if (typeof f[2] !== "string" || !Array.isArray(f[3]) || !(kw === null || (typeof kw === "object" && !Array.isArray(kw) && !(kw instanceof Uint8Array) && !(kw instanceof Date) && !(kw instanceof Error)))) {
      throw new ProtocolError("CALL/STREAM needs name (str), args (array), kwargs (map or nil)");
    }
  }
  return f as Frame;
}

/** `id` of a CALL/STREAM frame, to answer it with an error even when it is not acceptable. */
export function callId(f: unknown): number | null {
  return Array.isArray(f) && (f[0] === CALL || f[0] === STREAM) && Number.isInteger(f[1]) && f[1] >= 0 ? f[1] : null;
}
