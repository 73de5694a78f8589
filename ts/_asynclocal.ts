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
/** The values that reactions replaced, restored when each reaction ends (they do not nest in practice). */
const saved: unknown[] = [];
let installed = false;

function install(): void {
  installed = true;
  promiseHooks.createHook({
    // A promise made while a value is set carries it: its reactions (the continuation after an
    // `await`, a `then` callback) run with it.
    init(promise: Tagged) {
      if (current !== undefined) promise[SLOT] = current;
    },
    before(promise: Tagged) {
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
