/**
 * The wire protocol: one msgpack array per ZeroMQ message, `[kind, id, ...]`; the same as
 * `py/tulip_bridge/wire.py`, which documents each kind's fields.
 *
 * Ids are the caller's: CALL/STREAM/CANCEL/PULL name a call the sender made, RESULT/ERROR/
 * ITEM/END answer one the receiver made. HEARTBEAT carries the sender's session id; CALL and
 * STREAM carry the receiver's session as the caller knows it, so a restarted peer refuses
 * calls meant for its earlier life (at most once, never silently).
 */
import { decode, encode } from "./codec.js";

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

/** Decodes a frame and checks its shape; throws ProtocolError if it is not one. */
export function decodeFrame(data: Uint8Array): Frame {
  let f: unknown;
  try {
    f = decode(data);
  } catch (e) {
    throw new ProtocolError(`undecodable frame: ${(e as Error).message}`);
  }
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

/** `[kind, id]` from a frame's first bytes alone, to answer an oversized frame without decoding it. */
export function peekHeader(b: Uint8Array): [number, number] | null {
  const at = b[0] >= 0x90 && b[0] <= 0x9f ? 1 : b[0] === 0xdc ? 3 : b[0] === 0xdd ? 5 : -1;
  if (at < 0 || b.length < at + 2 || b[at] >= 0x80) return null;
  const kind = b[at];
  const t = b[at + 1];
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const p = at + 2;
  if (t < 0x80) return [kind, t];
  if (t === 0xcc && b.length >= p + 1) return [kind, b[p]];
  if (t === 0xcd && b.length >= p + 2) return [kind, view.getUint16(p)];
  if (t === 0xce && b.length >= p + 4) return [kind, view.getUint32(p)];
  if (t === 0xcf && b.length >= p + 8) return [kind, Number(view.getBigUint64(p))];
  return null;
}
