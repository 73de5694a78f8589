/**
 * Where a peer may listen. A peer binds or connects to loopback (127.0.0.0/8, `localhost`,
 * `::1`), `ipc://` or `inproc://` unless `allowRemote: true`: exposing functions to a
 * network is a choice to make explicitly, and then with CURVE (see `PeerOptions.curve`).
 */
import { isIP } from "node:net";

export function isLoopbackEndpoint(endpoint: string): boolean {
  if (endpoint.startsWith("ipc://") || endpoint.startsWith("inproc://")) return true;
  const m = /^tcp:\/\/(\[[^\]]*\]|[^:/]*)(?::(\d+|\*))?$/.exec(endpoint);
  if (!m) return false;
  const host = m[1].replace(/^\[|\]$/g, "");
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.split(".")[0] === "127";
  if (isIP(host) === 6) return host === "::1" || /^(0{0,4}:){7}0{0,3}1$/.test(host);
  return false;
}

/** Throws for a non-loopback endpoint unless `allowRemote`. */
export function checkEndpoint(endpoint: string, allowRemote: boolean): void {
  if (!allowRemote && !isLoopbackEndpoint(endpoint)) {
    throw new RangeError(
      `refusing ${JSON.stringify(endpoint)}: not loopback; pass allowRemote: true to expose a peer beyond this machine (and consider curve)`,
    );
  }
}
