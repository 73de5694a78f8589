/**
 * A ZAP handler (ZeroMQ RFC 27) that admits only listed CURVE client keys: what pyzmq's
 * authenticator does on the Python side. It lives in a ZeroMQ context of its own, shared
 * only with the socket it guards, since a context has one ZAP endpoint.
 */
import * as zmq from "zeromq";

const Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/** Z85 text of bytes whose length is a multiple of 4 (a CURVE key: 32 bytes → 40 characters). */
export function z85Encode(data: Uint8Array): string {
  let out = "";
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < data.length; i += 4) {
    let v = view.getUint32(i);
    const chunk: string[] = [];
    for (let j = 0; j < 5; j++) {
      chunk.unshift(Z85[v % 85]);
      v = Math.floor(v / 85);
    }
    out += chunk.join("");
  }
  return out;
}

export interface ZapHandler {
  close(): void;
}

/** Answers ZAP requests for `domain` in `context`: CURVE clients whose key is in `allowed` pass. */
export async function startZap(context: zmq.Context, domain: string, allowed: Iterable<string>): Promise<ZapHandler> {
  const keys = new Set(allowed);
  const sock = new zmq.Reply({ context, linger: 0 });
  await sock.bind("inproc://zeromq.zap.01");
  void (async () => {
    try {
      for await (const [version, requestId, reqDomain, , , mechanism, key] of sock) {
        const ok = version.toString() === "1.0" && reqDomain.toString() === domain && mechanism.toString() === "CURVE" &&
          key !== undefined && key.length === 32 && keys.has(z85Encode(key));
        await sock.send(["1.0", requestId, ok ? "200" : "400", ok ? "OK" : "Unknown key", "", ""]);
      }
    } catch {
      // closed
    }
  })();
  return { close: () => sock.close() };
}
