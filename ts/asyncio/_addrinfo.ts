/**
 * Address helpers of base_events.py for the Node loop: _ipaddr_info (a numeric host needs no
 * lookup), _interleave_addrinfos, and how a protocol factory is called.
 */
import * as net from "node:net";
import { AF_INET, AF_INET6, AF_UNSPEC, IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM, SockAddr } from "./trsock.js";

/** One getaddrinfo() result: [family, type, proto, canonname, sockaddr]. */
export type AddrInfo = [number, number, number, string, SockAddr];
/** A protocol factory: a class or a zero-argument function (DESIGN.md). */
export type ProtocolFactory<P = any> = (new () => P) | (() => P);

/** Calls a protocol factory: a class is constructed, a plain function called (DESIGN.md). */
export function _callFactory<P>(factory: ProtocolFactory<P>): P {
  if (typeof factory !== "function") throw new TypeError(`'${typeof factory}' object is not callable`);
  if (/^class[\s{]/.test(Function.prototype.toString.call(factory))) return new (factory as new () => P)();
  return (factory as () => P)();
}

/** base_events._ipaddr_info: the addrinfo of a numeric host, found without a lookup (or null). */
export function _ipaddr_info(host: string | null, port: unknown, family: number, type: number, proto: number, flowinfo = 0, scopeid = 0): AddrInfo | null {
  if (![0, IPPROTO_TCP, IPPROTO_UDP].includes(proto) || host === null || host === undefined) return null;
  if (type === SOCK_STREAM) proto = IPPROTO_TCP;
  else if (type === SOCK_DGRAM) proto = IPPROTO_UDP;
  else return null;
  let p: number;
  if (port === null || port === undefined || port === "") p = 0;
  else if (typeof port === "number" && Number.isInteger(port)) p = port;
  else if (typeof port === "string" && /^\s*[+-]?\d+\s*$/.test(port)) p = parseInt(port, 10);
  else return null;
  if (host.includes("%")) return null;
  const afs = family === AF_UNSPEC ? [AF_INET, AF_INET6] : [family];
  for (const af of afs) {
    if (af === AF_INET && net.isIPv4(host)) return [af, type, proto, "", [host, p]];
    if (af === AF_INET6 && net.isIPv6(host)) return [af, type, proto, "", [host, p, flowinfo, scopeid]];
  }
  return null;
}

/** base_events._interleave_addrinfos: interleave addrinfos by family. */
export function _interleave_addrinfos(addrinfos: AddrInfo[], first_address_family_count = 1): AddrInfo[] {
  const byFamily = new Map<number, AddrInfo[]>();
  for (const a of addrinfos) {
    if (!byFamily.has(a[0])) byFamily.set(a[0], []);
    byFamily.get(a[0])!.push(a);
  }
  const lists = [...byFamily.values()];
  const reordered: AddrInfo[] = [];
  if (first_address_family_count > 1) reordered.push(...lists[0].splice(0, first_address_family_count - 1));
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const l of lists) if (i < l.length) reordered.push(l[i]);
  return reordered;
}

