/**
 * The part of Python's `ssl` module asyncio's API takes (`asyncio.ssl.SSLContext`, …), on
 * Node's `tls`. Defined in sslproto.ts; gathered here as a namespace, as `import ssl` is.
 */
export {
  SSLContext, SSLObject, SSLError, SSLCertVerificationError, create_default_context, Purpose,
  PROTOCOL_TLS, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER, CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED,
} from "./sslproto.js";
