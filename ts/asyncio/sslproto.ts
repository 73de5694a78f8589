/** TLS transports (sslproto.py) — placeholder until the TLS layer lands. */
import { NotImplementedError } from "./exceptions.js";
import type { _SelectorSocketTransport } from "./selector_events.js";

export const __all__ = [] as const;

export function _make_ssl_transport(..._a: unknown[]): _SelectorSocketTransport {
  throw new NotImplementedError("TLS is not implemented yet");
}

export async function start_tls(..._a: unknown[]): Promise<_SelectorSocketTransport> {
  throw new NotImplementedError("TLS is not implemented yet");
}
