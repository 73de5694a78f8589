/** tulip/bridge: Node and CPython asyncio calling each other over ZeroMQ and msgpack. */
export { Peer, type PeerOptions, type InvokeOptions, type CurveOptions, type RegisterOptions, type WorkerInfo } from "./peer.js";
export { RemoteStream } from "./stream.js";
export { RemoteError, UnknownFunctionError } from "./errors.js";
export { encode, decode, EncodeError } from "./codec.js";
export { isLoopbackEndpoint } from "./security.js";
export { RemoteCall, type BridgeFuture } from "./aio.js";
export type { Registry, Untyped, CallResult, StreamItem, Implementation } from "./registry.js";
