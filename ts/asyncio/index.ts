/**
 * tulip: CPython 3.11's asyncio for TypeScript (`import * as asyncio from "tulip"`).
 * Each module exports its own `__all__`; this file gathers them, as asyncio/__init__.py does.
 */
export * from "./exceptions.js";
export * from "./events.js";
export * from "./base_events.js";
export * from "./coroutines.js";
export * from "./futures.js";
export * from "./locks.js";
export * from "./tasks.js";
export * from "./timeouts.js";
export * from "./taskgroups.js";
export * from "./runners.js";
export * from "./node_events.js";
export * from "./threads.js";
export * from "./unix_events.js";
export * from "./queues.js";
export * from "./protocols.js";
export * from "./transports.js";
export * from "./server.js";
export * from "./streams.js";
export * from "./subprocess.js";
/** `asyncio.subprocess` as ported code spells it: `asyncio.subprocess.PIPE`, `asyncio.subprocess.Process`. */
export * as subprocess from "./subprocess.js";
export { asyncWith, asyncEnter } from "./_contextlib.js";
export type { AsyncContextManager, AsyncEntered, NonSuppressingAsyncContextManager } from "./_contextlib.js";
export type { InetAddr, SockAddr, TransportSocket } from "./trsock.js";
export { logger } from "./log.js";
export type { LogRecord, LogHandler } from "./log.js";
export * as ssl from "./ssl.js";

import { __all__ as base_events } from "./base_events.js";
import { __all__ as coroutines } from "./coroutines.js";
import { __all__ as events } from "./events.js";
import { __all__ as exceptions } from "./exceptions.js";
import { __all__ as futures } from "./futures.js";
import { __all__ as locks } from "./locks.js";
import { __all__ as node_events } from "./node_events.js";
import { __all__ as queues } from "./queues.js";
import { __all__ as protocols } from "./protocols.js";
import { __all__ as transports } from "./transports.js";
import { __all__ as server } from "./server.js";
import { __all__ as streams } from "./streams.js";
import { __all__ as runners } from "./runners.js";
import { __all__ as taskgroups } from "./taskgroups.js";
import { __all__ as tasks } from "./tasks.js";
import { __all__ as timeouts } from "./timeouts.js";
import { __all__ as threads } from "./threads.js";
import { __all__ as unix_events } from "./unix_events.js";
import { __all__ as subprocess } from "./subprocess.js";

/** The public names, module by module, as asyncio.__all__ gathers them. */
export const __all__: readonly string[] = [
  ...base_events, ...coroutines, ...events, ...exceptions, ...futures, ...locks, ...node_events,
  ...queues, ...runners, ...taskgroups, ...tasks, ...timeouts, ...threads, ...unix_events,
  ...protocols, ...transports, ...server, ...streams, ...subprocess,
];
