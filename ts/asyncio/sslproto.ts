/**
 * TLS for transports (sslproto.py's role) on Node's `tls`: the handshake runs over the
 * connection's net.Socket; the transport then runs over the tls.TLSSocket, with the same
 * callback order as plain TCP (connection_made after the handshake). `SSLContext` is shaped
 * like Python's ssl.SSLContext as far as Node allows: load_cert_chain,
 * load_verify_locations, check_hostname, verify_mode, set_ciphers, set_alpn_protocols.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as tls from "node:tls";
import { ConnectionAbortedError, ConnectionResetError, OSError, RuntimeError, ValueError } from "./exceptions.js";
import { _SelectorSocketTransport } from "./selector_events.js";
import { _NodeSock } from "./trsock.js";
import { fromNodeError } from "./_oserror.js";
import type { BaseEventLoop } from "./base_events.js";

export const __all__ = [] as const;

/** constants.SSL_HANDSHAKE_TIMEOUT / SSL_SHUTDOWN_TIMEOUT (seconds). */
const SSL_HANDSHAKE_TIMEOUT = 60.0;

export const PROTOCOL_TLS_CLIENT = 16, PROTOCOL_TLS_SERVER = 17, PROTOCOL_TLS = 2;
export const CERT_NONE = 0, CERT_OPTIONAL = 1, CERT_REQUIRED = 2;
export const Purpose = { SERVER_AUTH: "SERVER_AUTH", CLIENT_AUTH: "CLIENT_AUTH" } as const;

/** Python's ssl.SSLError (an OSError): "[SSL: REASON] text". */
export class SSLError extends OSError {
  reason: string | null = null;
  library = "SSL";
  constructor(...args: unknown[]) {
    super(...args);
    // Python's SSLError prints its strerror alone ("[SSL: …] …"), without "[Errno n]".
    if (this.strerror !== null) this.message = this.strerror;
  }
}
/** Python's ssl.SSLCertVerificationError. */
export class SSLCertVerificationError extends SSLError {
  /** OpenSSL's X509_V_ERR_* number (18: self-signed, 62: hostname mismatch), or null when unknown. */
  verify_code: number | null = null;
  verify_message = "";
}

/** Node's certificate error codes, as OpenSSL's X509_V_ERR_* numbers (what CPython's verify_code gives). */
const VERIFY_CODES: Record<string, number> = {
  UNABLE_TO_GET_ISSUER_CERT: 2, CERT_SIGNATURE_FAILURE: 7, CERT_NOT_YET_VALID: 9, CERT_HAS_EXPIRED: 10,
  DEPTH_ZERO_SELF_SIGNED_CERT: 18, SELF_SIGNED_CERT_IN_CHAIN: 19, UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 20,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 21, CERT_CHAIN_TOO_LONG: 22, CERT_REVOKED: 23, CERT_UNTRUSTED: 27,
  CERT_REJECTED: 28, ERR_TLS_CERT_ALTNAME_INVALID: 62,
};
/**
 * Where CPython 3.11's _ssl module raises a handshake error, which its messages end with: the
 * reference's text, kept so that a message compares equal to CPython's.
 */
const SSL_C_SUFFIX = " (_ssl.c:1006)";
for (const c of [SSLError, SSLCertVerificationError]) Object.defineProperty(c.prototype, "name", { value: c.name });

/** A TLS context shaped like Python's ssl.SSLContext, backed by a tls.SecureContext. */
export class SSLContext {
  readonly protocol: number;
  check_hostname: boolean;
  verify_mode: number;
  _cert: Buffer | null = null;
  _key: Buffer | null = null;
  _passphrase: string | undefined;
  _ca: Buffer[] = [];
  _ciphers: string | undefined;
  _alpn: string[] | undefined;
  minimum_version: tls.SecureVersion | undefined;
  maximum_version: tls.SecureVersion | undefined;
  private _secure: tls.SecureContext | null = null;

  constructor(protocol: number = PROTOCOL_TLS) {
    this.protocol = protocol;
    const client = protocol === PROTOCOL_TLS_CLIENT;
    this.check_hostname = client;
    this.verify_mode = client ? CERT_REQUIRED : CERT_NONE;
  }

  load_cert_chain(certfile: string, keyfile: string | null = null, password: string | null = null): void {
    this._cert = fs.readFileSync(certfile);
    this._key = fs.readFileSync(keyfile ?? certfile);
    this._passphrase = password ?? undefined;
    this._secure = null;
  }

  load_verify_locations(cafile: string | null = null, _capath: string | null = null, cadata: string | Buffer | null = null): void {
    if (cafile === null && cadata === null) throw new TypeError("cafile, capath and cadata cannot be all omitted");
    if (cafile !== null) this._ca.push(fs.readFileSync(cafile));
    if (cadata !== null) this._ca.push(Buffer.from(cadata));
    this._secure = null;
  }

  /** Node trusts its bundled root certificates by default; nothing to load. */
  load_default_certs(_purpose: string = Purpose.SERVER_AUTH): void {}

  set_default_verify_paths(): void {}

  set_ciphers(ciphers: string): void {
    this._ciphers = ciphers;
    this._secure = null;
  }

  set_alpn_protocols(protocols: string[]): void {
    this._alpn = [...protocols];
  }

  /** @internal the Node secure context (built once per configuration). */
  _secureContext(): tls.SecureContext {
    if (this._secure === null) {
      const o: tls.SecureContextOptions = {};
      if (this._cert) o.cert = this._cert;
      if (this._key) o.key = this._key;
      if (this._passphrase) o.passphrase = this._passphrase;
      if (this._ca.length) o.ca = [...tls.rootCertificates, ...this._ca.map((b) => b.toString())];
      if (this._ciphers) o.ciphers = this._ciphers;
      if (this.minimum_version) o.minVersion = this.minimum_version;
      if (this.maximum_version) o.maxVersion = this.maximum_version;
      this._secure = tls.createSecureContext(o);
    }
    return this._secure;
  }
}

/** Python's ssl.create_default_context: verification on for clients (SERVER_AUTH). */
export function create_default_context(purpose: string = Purpose.SERVER_AUTH,
  options: { cafile?: string | null; capath?: string | null; cadata?: string | Buffer | null } = {}): SSLContext {
  const ctx = new SSLContext(purpose === Purpose.SERVER_AUTH ? PROTOCOL_TLS_CLIENT : PROTOCOL_TLS_SERVER);
  if (options.cafile || options.cadata) ctx.load_verify_locations(options.cafile ?? null, options.capath ?? null, options.cadata ?? null);
  return ctx;
}

/** What get_extra_info('ssl_object') gives: the parts of ssl.SSLObject that Node can answer. */
export class SSLObject {
  constructor(readonly _tls: tls.TLSSocket, readonly context: SSLContext, readonly server_side: boolean, readonly server_hostname: string | null) {}
  getpeercert(binary_form = false): unknown {
    const c = this._tls.getPeerCertificate();
    if (!c || Object.keys(c).length === 0) return null;
    if (binary_form) return c.raw;
    if (this.context.verify_mode === CERT_NONE) return {};
    return _pyCert(c);
  }
  cipher(): [string, string, number] | null {
    const c = this._tls.getCipher();
    if (!c) return null;
    const bits = /256|CHACHA20/.test(c.name) ? 256 : /128/.test(c.name) ? 128 : 0;
    return [c.standardName ?? c.name, c.version, bits];
  }
  version(): string | null {
    return this._tls.getProtocol();
  }
  selected_alpn_protocol(): string | null {
    const p = this._tls.alpnProtocol;
    return typeof p === "string" ? p : null;
  }
  compression(): null {
    return null;
  }
}

const NAMES: Record<string, string> = { CN: "commonName", O: "organizationName", OU: "organizationalUnitName", C: "countryName", ST: "stateOrProvinceName", L: "localityName" };

/** Node's certificate object as Python's getpeercert() dict. */
function _pyCert(c: tls.PeerCertificate): Record<string, unknown> {
  const rdn = (o: Record<string, unknown> | undefined) => Object.entries(o ?? {}).map(([k, v]) => [[NAMES[k] ?? k, String(v)]]);
  const out: Record<string, unknown> = {
    subject: rdn(c.subject as unknown as Record<string, unknown>), issuer: rdn(c.issuer as unknown as Record<string, unknown>), version: 3,
    serialNumber: c.serialNumber, notBefore: c.valid_from, notAfter: c.valid_to,
  };
  if (c.subjectaltname) {
    out.subjectAltName = c.subjectaltname.split(", ").map((s) => {
      const i = s.indexOf(":");
      const kind = s.slice(0, i);
      return [kind === "IP Address" ? "IP Address" : kind, s.slice(i + 1)];
    });
  }
  return out;
}

/** A Node TLS failure as Python's ssl exception. */
function _sslError(err: Error & { code?: string; reason?: string }): unknown {
  const code = err.code ?? "";
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/.test(code)) {
    const text = code === "ERR_TLS_CERT_ALTNAME_INVALID" ? `Hostname mismatch, certificate is not valid for '${(err as { host?: string }).host ?? ""}'.`
      : err.message.replace(/_/g, " ").toLowerCase();
    const e = new SSLCertVerificationError(1, `[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ${text}${SSL_C_SUFFIX}`);
    e.reason = "CERTIFICATE_VERIFY_FAILED";
    e.verify_code = VERIFY_CODES[code] ?? null;
    e.verify_message = text;
    e.__cause__ = err;
    return e;
  }
  if (code.startsWith("ERR_SSL_")) {
    const reason = code.slice("ERR_SSL_".length);
    const e = new SSLError(1, `[SSL: ${reason}] ${reason.replace(/_/g, " ").toLowerCase()}${SSL_C_SUFFIX}`);
    e.reason = reason;
    e.__cause__ = err;
    return e;
  }
  return fromNodeError(err);
}

/**
 * The TLS handshake over a connected socket; resolves (from the loop) to the TLS socket and
 * the extra info the transport carries: sslcontext, peercert, cipher, compression, ssl_object.
 */
export async function _ssl_handshake(loop: BaseEventLoop, nsock: _NodeSock, sslcontext: SSLContext | null, server_side: boolean,
  server_hostname: string | null, ssl_handshake_timeout: number | null): Promise<[_NodeSock, Record<string, unknown>]> {
  const ctx = sslcontext ?? (server_side ? null : create_default_context());
  if (ctx === null) throw new ValueError("Server side SSL needs a valid SSLContext");
  if (!(ctx instanceof SSLContext)) throw new TypeError(`ssl argument must be an SSLContext or None`);
  const raw = nsock.node as net.Socket;
  const timeout = ssl_handshake_timeout ?? SSL_HANDSHAKE_TIMEOUT;
  const verify = ctx.verify_mode !== CERT_NONE;
  const fut = loop.create_future<tls.TLSSocket>();
  let tsock: tls.TLSSocket;
  const fail = (err: Error) => loop._call_soon(() => { if (!fut.done()) fut.set_exception(_sslError(err)); }, [], null);
  if (server_side) {
    tsock = new tls.TLSSocket(raw, {
      isServer: true, secureContext: ctx._secureContext(), requestCert: verify, rejectUnauthorized: ctx.verify_mode === CERT_REQUIRED,
      ALPNProtocols: ctx._alpn,
    });
    tsock.once("secure", () => loop._call_soon(() => { if (!fut.done()) fut.set_result(tsock); }, [], null));
  } else {
    tsock = tls.connect({
      socket: raw, secureContext: ctx._secureContext(), servername: server_hostname && !net.isIP(server_hostname) ? server_hostname : undefined,
      rejectUnauthorized: verify, ALPNProtocols: ctx._alpn,
      checkServerIdentity: ctx.check_hostname ? (h, c) => tls.checkServerIdentity(server_hostname ?? h, c) : () => undefined,
    });
    tsock.once("secureConnect", () => loop._call_soon(() => { if (!fut.done()) fut.set_result(tsock); }, [], null));
  }
  tsock.once("error", fail);
  tsock.once("close", () => fail(Object.assign(new Error("Connection lost"), { code: "ECONNRESET" })));
  // The other side closed before the handshake ended (a client that rejected our certificate
  // sends its alert and closes): CPython's eof_received gives the handshake ConnectionResetError()
  // at once. Our sockets are half-open capable, so that EOF is an 'end' and no 'close' comes.
  tsock.once("end", () => loop._call_soon(() => { if (!fut.done()) fut.set_exception(new ConnectionResetError()); }, [], null));
  // CPython formats the number as given: its default is the float 60.0, a user's is most often
  // an int ("1 seconds"). A JavaScript number does not say which, so a given one reads as an int.
  const shown = ssl_handshake_timeout === null ? "60.0" : String(timeout);
  const timer = loop.call_later(timeout, () => {
    if (!fut.done()) fut.set_exception(new ConnectionAbortedError(`SSL handshake is taking longer than ${shown} seconds: aborting the connection`));
  });
  try {
    await fut;
  } catch (exc) {
    tsock.destroy();
    raw.destroy();
    throw exc;
  } finally {
    timer.cancel();
    tsock.removeAllListeners("error");
    tsock.removeAllListeners("close");
  }
  const obj = new SSLObject(tsock, ctx, server_side, server_hostname);
  const extra: Record<string, unknown> = {
    sslcontext: ctx, ssl_object: obj, peercert: obj.getpeercert(), cipher: obj.cipher(), compression: null,
  };
  return [new _NodeSock(tsock, nsock.kind, nsock.family, nsock.path, nsock.side), extra];
}

/** loop.start_tls: the handshake over the transport's socket, then a new transport for `protocol` (no second connection_made). */
export async function start_tls(loop: BaseEventLoop, transport: _SelectorSocketTransport, protocol: unknown, sslcontext: unknown,
  options: { server_side?: boolean; server_hostname?: string | null; ssl_handshake_timeout?: number | null; ssl_shutdown_timeout?: number | null }): Promise<_SelectorSocketTransport> {
  if (!(sslcontext instanceof SSLContext)) throw new TypeError(`sslcontext is expected to be an instance of ssl.SSLContext, got ${sslcontext}`);
  if (!(transport instanceof _SelectorSocketTransport) || !transport._start_tls_compatible) {
    throw new TypeError(`transport ${transport} is not supported by start_tls()`);
  }
  if (transport.is_closing()) throw new RuntimeError("Transport is closing");
  const server_side = options.server_side ?? false;
  const [nsock, server] = transport._detach_for_tls();
  const peername = nsock.getpeername();
  const [tnsock, extra] = await _ssl_handshake(loop, nsock, sslcontext, server_side, options.server_hostname ?? null, options.ssl_handshake_timeout ?? null);
  const waiter = loop.create_future();
  const t = new _SelectorSocketTransport(loop, tnsock, protocol, waiter, { ...extra, peername }, server, false);
  // The new transport attached itself to the server; the old one's count goes with it.
  server?._detach();
  await waiter;
  return t;
}

