/**
 * One async-local slot: a value that follows the code that set it across every `await` and
 * promise reaction, as AsyncLocalStorage's store does, built directly on V8's promise hooks
 * (node:v8 promiseHooks).
 *
 * Why not AsyncLocalStorage: on Node 20 it rides on async_hooks, which, once enabled, gives
 * every promise an async id and runs init/before/after bookkeeping for every promise,
 * nextTick, immediate, timer and socket callback in the process. tulip only needs its frame
 * (the current Context and task) to survive promise reactions: callbacks that Node itself
 * calls (timers, sockets) run outside any task, as loop callbacks do in asyncio, and tulip
 * hands them a Context explicitly. Measured with callgrind on an await loop: async_hooks add
 * about 1,700 instructions per await, these hooks about 650 (bench/README.md).
 */
import { promiseHooks } from "node:v8";

const SLOT: unique symbol = Symbol("tulip.asynclocal");

type Tagged = Promise<unknown> & { [SLOT]?: unknown };

let current: unknown = undefined;
/**
 * The promises made in a frame since the last `markLog()` (a task step's start) or the start
 * of the running promise reaction, so that a
 * plain async function called in one task's step and handed to create_task can be moved,
 * with every promise its eager start made, to the new task (see `retagSince`). Bounded.
 */
const LOG_MAX = 4096;
// A fixed array and a count, emptied by clearing what was written: `length = 0` let V8 drop
// the backing store, and the next push allocate a new one (~150 bytes per promise reaction of
// a raw async function).
const log: (Tagged | undefined)[] = new Array(LOG_MAX).fill(undefined);
let logCount = 0;
/** The values that reactions replaced, restored when each reaction ends (they do not nest in practice). */
const saved: unknown[] = [];
let installed = false;

function install(): void {
  installed = true;
  promiseHooks.createHook({
    // A promise made while a value is set carries it: its reactions (the continuation after an
    // `await`, a `then` callback) run with it.
    init(promise: Tagged) {
      if (current !== undefined) {
        promise[SLOT] = current;
        if (logCount < LOG_MAX) log[logCount++] = promise;
      }
    },
    before(promise: Tagged) {
      // A reaction is a job of its own: what earlier jobs made is no eager start of a body
      // called in this one (see retagSince), and a log left long unreset would fill up.
      clearLog();
      saved.push(current);
      current = promise[SLOT];
    },
    after() {
      current = saved.pop();
    },
  });
}

/** The value set by the innermost `run` or carried by the running promise reaction. */
export function getStore<T>(): T | undefined {
  return current as T | undefined;
}

/**
 * Sets `value` and returns the value it replaces, which the caller must give back to
 * `restore` (in a `finally`). run() for the loop's hot paths: no rest-arguments array.
 */
export function enter(value: unknown): unknown {
  if (!installed) install();
  const prev = current;
  current = value;
  return prev;
}

export function restore(prev: unknown): void {
  current = prev;
}

/** Runs `fn(...args)` with `value` set; promises it makes carry the value to their reactions. */
export function run<A extends unknown[], R>(value: unknown, fn: (...args: A) => R, ...args: A): R {
  const prev = enter(value);
  try {
    return fn(...args);
  } finally {
    current = prev;
  }
}

/** Starts a new log of the promises made in frames (a task step begins). */
export function markLog(): void {
  clearLog();
}

function clearLog(): void {
  for (let i = 0; i < logCount; i++) log[i] = undefined;
  logCount = 0;
}

/**
 * Moves `promise` — an async function's own promise, made since the last `markLog()` — and
 * every promise made after it in the same frame to `value`: what the function's eager start
 * (up to its first `await`, nested calls included) made, so that its continuations and the
 * `then` calls of the thenables it awaits run with `value`. Promises of other frames, and those
 * an earlier call already moved, stay. False when the promise is not in the log.
 */
export function retagSince(promise: Promise<unknown>, value: unknown): boolean {
  let i = logCount - 1;
  while (i >= 0 && log[i] !== promise) i--;
  if (i < 0) return false;
  const from = log[i]![SLOT];
  for (let j = i; j < logCount; j++) if (log[j]![SLOT] === from) log[j]![SLOT] = value;
  return true;
}
