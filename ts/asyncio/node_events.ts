/**
 * The default event loop on Node.js. Node's own event loop is the "selector": its timer and
 * I/O callbacks only enqueue handles in the ready queue, which BaseEventLoop runs in
 * CPython's order. Transports (net, tls, dgram, child_process) build on it.
 */
import { BaseEventLoop } from "./base_events.js";
import { _setDefaultLoopFactory } from "./events.js";

export const __all__ = ["NodeEventLoop", "SelectorEventLoop"] as const;

export class NodeEventLoop extends BaseEventLoop {}

/** asyncio's name for the default loop class on Unix; here it is the Node loop. */
export const SelectorEventLoop = NodeEventLoop;

_setDefaultLoopFactory(() => new NodeEventLoop());
