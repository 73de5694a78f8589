/**
 * The tulip conformance interpreter: runs a scenario (spec/README.md) on tulip and returns
 * its trace. It mirrors py/tulip_bridge/conformance.py statement for statement.
 *
 * Scenario coroutines are lazy coroutine objects over generator functions, and an `await`
 * statement is `yield*` of the awaitable, so a scenario runs in exactly CPython's order
 * (DESIGN.md, "Laziness"): nothing starts before its task's first step, and an awaited
 * coroutine runs inline in its caller's step.
 */
import * as asyncio from "../asyncio/index.js";
import { CoroutineObject, Task } from "../asyncio/index.js";
import * as contextvars from "../contextvars.js";
import { ConformanceLoop, Deadlock, IterationLimit } from "./loop.js";
import { Tuple, dumps, formatTime, tag, type Namer } from "./trace.js";
import type { Block, Callable, Expr, Scenario, Step } from "./scenario.js";

/** The scenario itself is wrong; never caught by its own except clauses. */
export class ScenarioError extends Error {
  override name = "ScenarioError";
}

const A = asyncio as unknown as Record<string, any>;
const CV = contextvars as unknown as Record<string, any>;

/** Exception types a scenario may build and catch (the schema's closed list). */
const EXCEPTIONS: Record<string, any> = Object.fromEntries(
  ["BaseException", "Exception", "RuntimeError", "NotImplementedError", "ValueError", "IndexError",
   "KeyboardInterrupt", "SystemExit", "CancelledError", "TimeoutError", "InvalidStateError", "QueueEmpty",
   "QueueFull", "BrokenBarrierError", "BaseExceptionGroup", "ExceptionGroup", "IncompleteReadError",
   "ConnectionResetError"].map((n) => [n, A[n]]),
);
EXCEPTIONS.TypeError = TypeError;

/** asyncio names that are classes in tulip (called with `new`). */
const CLASSES = new Set(["Future", "Lock", "Event", "Condition", "Semaphore", "BoundedSemaphore", "Barrier",
  "Queue", "PriorityQueue", "LifoQueue", "TaskGroup", "ContextVar"]);

/** Methods that return a tuple in Python and an array in tulip. */
const TUPLE_RESULTS = new Set(["get_write_buffer_limits"]);

/** GC-driven exception-handler messages, never traced (as on the CPython side). */
const GC_MESSAGES = ["Task exception was never retrieved", "Future exception was never retrieved",
  "Task was destroyed but it is pending"];

const DEFAULT_TASK_NAME = /^Task-\d+$/;

/** The protocol callbacks a scenario may map to its functions (the `protocol` expression). */
const PROTOCOL_CALLBACKS = ["connection_made", "data_received", "eof_received", "connection_lost",
  "pause_writing", "resume_writing"];

class Return {
  constructor(readonly value: unknown) {}
}
const BREAK = Symbol("break");
const CONTINUE = Symbol("continue");
type Sig = undefined | Return | typeof BREAK | typeof CONTINUE;
type Gen<T> = Generator<unknown, T, unknown>;

class Frame {
  handling: unknown[] = [];
  constructor(readonly vars: Map<string, unknown>, readonly globals: Map<string, unknown>, readonly actor: string) {}

  lookup(name: string): unknown {
    if (this.vars.has(name)) return this.vars.get(name);
    if (this.globals.has(name)) return this.globals.get(name);
    throw new ScenarioError(`name '${name}' is not bound`);
  }
}

/** Python truthiness. */
function truthy(x: unknown): boolean {
  if (Array.isArray(x) || typeof x === "string") return x.length > 0;
  if (x instanceof Set || x instanceof Map) return x.size > 0;
  return Boolean(x);
}

/** Python ==: structural for lists, tuples and bytes. */
function pyEq(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b) === 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a instanceof Tuple === b instanceof Tuple && a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  }
  return a === b || (a === null && b === undefined) || (a === undefined && b === null);
}

const BINARY: Record<string, (a: any, b: any) => unknown> = {
  eq: pyEq,
  ne: (a, b) => !pyEq(a, b),
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  is: (a, b) => a === b || (a == null && b == null),
  add: (a, b) => (Array.isArray(a) ? [...a, ...b] : a + b),
  sub: (a, b) => a - b,
  mul: (a, b) => (a instanceof Uint8Array ? Buffer.alloc(a.length * b, a) : a * b),
  mod: (a, b) => a % b,
  index: (a, b) => a[b],
};

/** Python calls with keyword arguments: tulip's trailing options object. */
function call(fn: (...a: unknown[]) => unknown, self: unknown, args: unknown[], kwargs: Record<string, unknown>, isClass: boolean): unknown {
  const all = Object.keys(kwargs).length > 0 ? [...args, kwargs] : args;
  return isClass ? new (fn as any)(...all) : fn.apply(self, all);
}

export class Interpreter implements Namer {
  readonly lines: string[] = [];
  private readonly coroutines: Record<string, Callable>;
  private readonly functions: Record<string, Callable>;
  private readonly labels = new Map<object, string>();
  private readonly coroLabels = new WeakMap<object, string>();
  private readonly fnCache = new Map<string, (...a: unknown[]) => unknown>();
  private readonly globals = new Map<string, unknown>();
  private readonly errors: unknown[] = [];
  private finished = false;
  private loop!: asyncio.BaseEventLoop;
  private mainTask: Task<unknown> | null = null;

  constructor(private readonly sc: Scenario) {
    this.coroutines = sc.coroutines ?? {};
    this.functions = sc.functions ?? {};
  }

  // ---- naming ----
  label(obj: object): string {
    return this.labels.get(obj) ?? "?";
  }

  coroLabel(coro: unknown): string {
    return (typeof coro === "object" && coro !== null && this.coroLabels.get(coro)) || "?";
  }

  taskName(task: Task<unknown>): string {
    const name = task.get_name();
    return DEFAULT_TASK_NAME.test(name) ? this.coroLabel(task.get_coro()) : name;
  }

  private currentActor(): string {
    const task = asyncio.current_task();
    return task === null ? "?" : this.taskName(task);
  }

  private bind(frame: Frame, name: string, value: unknown): void {
    frame.vars.set(name, value);
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !this.labels.has(value)) {
      this.labels.set(value, name);
    }
  }

  // ---- trace ----
  private emit(actor: string, event: string, args: unknown[]): void {
    if (this.finished) return;
    const loop = this.loop;
    // On the real clock, times and iteration counts depend on the machine: order only.
    const [t, it] = loop instanceof ConformanceLoop ? [formatTime(loop.time()), loop.iteration] : ["-", "-"];
    this.lines.push(`${t} ${it} ${actor} ${event} ${dumps(tag(args, this))}`);
  }

  private onLoopException = (_loop: unknown, context: Record<string, unknown>): void => {
    const message = String(context.message ?? "");
    if (GC_MESSAGES.some((m) => message.startsWith(m))) return;
    const kind = message.startsWith("Exception in callback") ? "callback" : message;
    this.emit("loop", "exception", [kind, context.exception ?? null]);
  };

  // ---- running ----
  async run(): Promise<string[]> {
    const loop = (this.loop = this.sc.clock === "real" ? asyncio.new_event_loop() : new ConformanceLoop());
    loop.set_exception_handler(this.onLoopException);
    const main = this.makeCoro("main", [], "main", this.sc.main);
    let stuck = false;
    const stop = (e: unknown): boolean => {
      if (e instanceof Deadlock || e instanceof IterationLimit) {
        this.emit("loop", e instanceof Deadlock ? "deadlock" : "limit", []);
        return true;
      }
      return false;
    };
    try {
      // What asyncio.run does, written out so that a deadlock can stop the run.
      const task = (this.mainTask = loop.create_task(main, { context: contextvars.copy_context() }));
      try {
        const result = await loop.run_until_complete(task);
        this.emit("runner", "return", [result]);
      } catch (e) {
        if (stop(e)) stuck = true;
        else if (e instanceof ScenarioError) this.errors.push(e);
        else this.emit("runner", "raise", [e]);
      }
      if (!stuck) {
        try {
          await cancelAllTasks(loop);
          await loop.run_until_complete(loop.shutdown_asyncgens());
          await loop.run_until_complete(loop.shutdown_default_executor());
        } catch (e) {
          if (!stop(e)) throw e;
        }
      }
    } finally {
      this.finished = true;
      loop.close();
    }
    if (this.errors.length > 0) throw this.errors[0];
    return this.lines;
  }

  // ---- coroutines and functions ----
  private makeCoro(name: string, args: unknown[], label: string, body?: Block): CoroutineObject<unknown> {
    let vars: Map<string, unknown> | null = null;
    if (body === undefined) {
      const defn = this.coroutines[name];
      if (defn === undefined) throw new ScenarioError(`no coroutine named '${name}'`);
      const params = defn.params ?? [];
      if (params.length !== args.length) throw new ScenarioError(`${name} takes ${params.length} arguments, got ${args.length}`);
      vars = new Map(params.map((p, i) => [p, args[i]]));
      body = defn.body;
    }
    const b = body;
    const coro = new CoroutineObject(() => this.coroBody(name, args, b, vars), name);
    this.coroLabels.set(coro, label);
    return coro;
  }

  private *coroBody(name: string, args: unknown[], body: Block, vars: Map<string, unknown> | null): Gen<unknown> {
    const frame = new Frame(vars ?? this.globals, this.globals, this.currentActor());
    this.emit(frame.actor, "start", [name, ...args]);
    let sig: Sig;
    try {
      sig = yield* this.execBlock(body, frame);
    } catch (e) {
      if (e instanceof ScenarioError) this.errors.push(e);
      else this.emit(frame.actor, "raise", [name, e]);
      throw e;
    }
    const value = sig instanceof Return ? sig.value : null;
    this.emit(frame.actor, "return", [name, value]);
    return value;
  }

  /** The scenario's coroutine as a coroutine function (start_server's client_connected_cb). */
  private makeCorofn(name: string): (...a: unknown[]) => unknown {
    if (this.coroutines[name] === undefined) throw new ScenarioError(`no coroutine named '${name}'`);
    return { [name]: (...args: unknown[]) => this.makeCoro(name, args, name) }[name]!;
  }

  /**
   * A protocol factory: each protocol it makes calls the scenario's functions from the
   * callbacks mapped in `callbacks`, and keeps asyncio.Protocol's defaults for the rest.
   * The protocol and its transport are labelled `label` in traces.
   */
  private makeProtocol(callbacks: Record<string, string>, label: string): () => asyncio.Protocol {
    const unknown = Object.keys(callbacks).filter((cb) => !PROTOCOL_CALLBACKS.includes(cb)).sort();
    if (unknown.length > 0) throw new ScenarioError(`not a protocol callback: ${unknown.join(", ")}`);
    const fns = new Map(Object.entries(callbacks).map(([cb, name]) => [cb, this.makeFn(name)]));
    const forward = (cb: string, args: unknown[]): unknown => {
      try {
        return fns.get(cb)!(...args);
      } catch (e) {
        // Raised into the transport, it would only reach the exception handler and main
        // would wait forever: end the run, which reports ERROR.
        if (e instanceof ScenarioError) this.mainTask?.cancel();
        throw e;
      }
    };
    const labels = this.labels;
    class ScenarioProtocol extends asyncio.Protocol {
      constructor() {
        super();
        if (!labels.has(this)) labels.set(this, label);
      }
      override connection_made(transport: asyncio.BaseTransport): void {
        if (!labels.has(transport)) labels.set(transport, label);
        if (fns.has("connection_made")) forward("connection_made", [transport]);
      }
    }
    for (const cb of fns.keys()) {
      if (cb === "connection_made") continue;
      Object.defineProperty(ScenarioProtocol.prototype, cb, {
        value: { [cb]: (...args: unknown[]) => forward(cb, args) }[cb], writable: true, configurable: true,
      });
    }
    return () => new ScenarioProtocol();
  }

  private makeFn(name: string): (...a: unknown[]) => unknown {
    const defn = this.functions[name];
    if (defn === undefined) throw new ScenarioError(`no function named '${name}'`);
    let fn = this.fnCache.get(name);
    if (fn === undefined) {
      fn = { [name]: (...args: unknown[]) => this.callFn(name, defn, args) }[name]!;
      this.fnCache.set(name, fn);
    }
    return fn;
  }

  private callFn(name: string, defn: Callable, args: unknown[]): unknown {
    const params = defn.params ?? [];
    if (params.length !== args.length) {
      const e = new ScenarioError(`${name} takes ${params.length} arguments, got ${args.length}`);
      this.errors.push(e);
      throw e;
    }
    const frame = new Frame(new Map(params.map((p, i) => [p, args[i]])), this.globals, name);
    this.emit(name, "call", args);
    const gen = this.execBlock(defn.body, frame);
    let r: IteratorResult<unknown, Sig>;
    try {
      r = gen.next();
    } catch (e) {
      if (e instanceof ScenarioError) this.errors.push(e);
      else this.emit(name, "raise", [e]);
      throw e;
    }
    if (!r.done) {
      gen.return(undefined);
      const e = new ScenarioError(`function ${name} awaits`);
      this.errors.push(e);
      throw e;
    }
    return r.value instanceof Return ? r.value.value : null;
  }

  // ---- statements (generators: yield* an awaitable, get its result back) ----
  private *execBlock(steps: Block, frame: Frame): Gen<Sig> {
    for (const step of steps) {
      const sig = yield* this.execStep(step, frame);
      if (sig !== undefined) return sig;
    }
    return undefined;
  }

  private *execStep(st: Step, frame: Frame): Gen<Sig> {
    const s = st as Record<string, any>;
    if ("await" in s) {
      const value = yield* asyncio._await(this.eval(s.await, frame));
      if (s.as) this.bind(frame, s.as, value);
    } else if ("do" in s) {
      const value = this.eval(s.do, frame);
      if (s.as) this.bind(frame, s.as, value);
    } else if ("trace" in s) {
      const values = (s.values ?? []).map((v: Expr) => this.eval(v, frame));
      this.emit(frame.actor, "trace", [s.trace, ...values]);
    } else if ("return" in s) {
      return new Return(this.eval(s.return, frame));
    } else if ("raise" in s) {
      if (s.raise === null) {
        if (frame.handling.length === 0) throw new ScenarioError("bare raise outside an except clause");
        throw frame.handling[frame.handling.length - 1];
      }
      const exc = this.eval(s.raise, frame);
      if (!(exc instanceof Error)) throw new ScenarioError("raise of a non-exception");
      throw exc;
    } else if ("if" in s) {
      return yield* this.execBlock(truthy(this.eval(s.if, frame)) ? (s.then ?? []) : (s.else ?? []), frame);
    } else if ("while" in s) {
      while (truthy(this.eval(s.while, frame))) {
        const sig = yield* this.execBlock(s.body, frame);
        if (sig === BREAK) break;
        if (sig !== undefined && sig !== CONTINUE) return sig;
      }
    } else if ("for" in s) {
      for (const item of this.eval(s.in, frame) as Iterable<unknown>) {
        this.bind(frame, s.for, item);
        const sig = yield* this.execBlock(s.body, frame);
        if (sig === BREAK) break;
        if (sig !== undefined && sig !== CONTINUE) return sig;
      }
    } else if ("break" in s) {
      return BREAK;
    } else if ("continue" in s) {
      return CONTINUE;
    } else if ("try" in s) {
      return yield* this.execTry(s, frame);
    } else if ("async_with" in s) {
      return yield* this.execAsyncWith(s, frame);
    } else if (!("pass" in s)) {
      throw new ScenarioError(`unknown statement ${JSON.stringify(Object.keys(s))}`);
    }
    return undefined;
  }

  private *execTry(s: Record<string, any>, frame: Frame): Gen<Sig> {
    let sig: Sig;
    try {
      try {
        sig = yield* this.execBlock(s.try, frame);
      } catch (e) {
        if (e instanceof ScenarioError) throw e;
        for (const handler of s.except ?? []) {
          const types: unknown[] = (handler.types ?? []).map((t: string) => EXCEPTIONS[t]);
          if (types.length === 0 || types.some((t) => t !== undefined && e instanceof (t as any))) {
            if (handler.as) this.bind(frame, handler.as, e);
            frame.handling.push(e);
            try {
              return yield* this.execBlock(handler.body, frame);
            } finally {
              frame.handling.pop();
            }
          }
        }
        throw e;
      }
      if (s.else && sig === undefined) return yield* this.execBlock(s.else, frame);
      return sig;
    } finally {
      if (s.finally) {
        const fsig = yield* this.execBlock(s.finally, frame);
        // eslint-disable-next-line no-unsafe-finally -- as in Python: return in finally drops the exception
        if (fsig !== undefined) return fsig;
      }
    }
  }

  private *execAsyncWith(s: Record<string, any>, frame: Frame): Gen<Sig> {
    const cm = this.eval(s.async_with, frame) as { __aenter__(): unknown; __aexit__(t: unknown, v: unknown, tb: unknown): unknown };
    const entered = yield* asyncio._await(cm.__aenter__());
    if (s.as) this.bind(frame, s.as, entered);
    let sig: Sig;
    try {
      sig = yield* this.execBlock(s.body, frame);
    } catch (e) {
      if (e instanceof ScenarioError) throw e;
      const type = e !== null && typeof e === "object" ? (e as object).constructor : null;
      if (!truthy(yield* asyncio._await(cm.__aexit__(type, e, null)))) throw e;
      return undefined;
    }
    yield* asyncio._await(cm.__aexit__(null, null, null));
    return sig;
  }

  // ---- expressions ----
  private eval(x: Expr, frame: Frame): any {
    if (typeof x === "string") return x.startsWith("$") ? frame.lookup(x.slice(1)) : x;
    if (x === null || typeof x !== "object") return x;
    if (Array.isArray(x)) return x.map((v) => this.eval(v, frame));
    const o = x as Record<string, any>;
    const ev = (v: Expr) => this.eval(v, frame);
    // Python's order: the receiver, then the arguments left to right, then keywords.
    const target = "on" in o ? ev(o.on) : undefined;
    const args: unknown[] = (o.args ?? []).map(ev);
    const kwargs: Record<string, unknown> = Object.fromEntries(Object.entries(o.kwargs ?? {}).map(([k, v]) => [k, ev(v as Expr)]));
    if ("asyncio" in o) return this.callAsyncio(o.asyncio, args, kwargs);
    if ("loop" in o) {
      const loop = asyncio.get_running_loop() as unknown as Record<string, any>;
      return call(this.need(loop[o.loop], `loop.${o.loop}`), loop, args, kwargs, false);
    }
    if ("method" in o) {
      const fn = (target as Record<string, any>)?.[o.method];
      const result = call(this.need(fn, `${(target as object)?.constructor?.name}.${o.method}`), target, args, kwargs, false);
      return TUPLE_RESULTS.has(o.method) ? Tuple.of_(result as unknown[]) : result;
    }
    if ("attr" in o) return (target as Record<string, any>)[o.attr];
    if ("contextvars" in o) return call(this.need(CV[o.contextvars], `contextvars.${o.contextvars}`), null, args, kwargs, CLASSES.has(o.contextvars));
    if ("coro" in o) return this.makeCoro(o.coro, args, o.label ?? o.coro);
    if ("fn" in o) return this.makeFn(o.fn);
    if ("corofn" in o) return this.makeCorofn(o.corofn);
    if ("protocol" in o) return this.makeProtocol(o.protocol, o.label ?? "protocol");
    if ("bytes" in o) return Buffer.from(o.bytes as string, "utf8");
    if ("exc" in o) {
      const cls = EXCEPTIONS[o.exc];
      if (cls === undefined) throw new ScenarioError(`exception type ${o.exc} is missing from tulip`);
      return new cls(...args);
    }
    if ("tuple" in o) return Tuple.of_((o.tuple as Expr[]).map(ev));
    if ("lit" in o) return structuredClone(o.lit);
    if ("range" in o) return pyRange((o.range as Expr[]).map(ev) as number[]);
    if ("not" in o) return !truthy(ev(o.not));
    if ("len" in o) {
      const v = ev(o.len);
      return v instanceof Set || v instanceof Map ? v.size : v.length;
    }
    if ("and" in o) return (o.and as Expr[]).every((v) => truthy(ev(v)));
    if ("or" in o) return (o.or as Expr[]).some((v) => truthy(ev(v)));
    for (const [op, fn] of Object.entries(BINARY)) {
      if (op in o) {
        const [a, b] = o[op] as [Expr, Expr];
        return fn(ev(a), ev(b));
      }
    }
    throw new ScenarioError(`unknown expression ${JSON.stringify(Object.keys(o))}`);
  }

  private callAsyncio(name: string, args: unknown[], kwargs: Record<string, unknown>): unknown {
    const fn = this.need(A[name], `asyncio.${name}`);
    const result = call(fn, null, args, kwargs, CLASSES.has(name));
    if (name === "wait") {
      // asyncio.wait returns the tuple (done, pending); tulip returns an array.
      const inner = result;
      return new CoroutineObject(function* () {
        return Tuple.of_((yield* asyncio._await(inner)) as unknown[]);
      }, "wait");
    }
    return result;
  }

  private need(fn: unknown, what: string): (...a: unknown[]) => unknown {
    if (typeof fn !== "function") throw new ScenarioError(`${what} is not available in tulip`);
    return fn as (...a: unknown[]) => unknown;
  }
}

function pyRange(a: number[]): number[] {
  const [start, stop, step] = a.length === 1 ? [0, a[0], 1] : [a[0], a[1], a[2] ?? 1];
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

/** asyncio.runners._cancel_all_tasks, as asyncio.run does after main. */
async function cancelAllTasks(loop: asyncio.BaseEventLoop): Promise<void> {
  const toCancel = asyncio.all_tasks(loop);
  if (toCancel.size === 0) return;
  for (const task of toCancel) task.cancel();
  await loop.run_until_complete(asyncio.gather(...toCancel, { return_exceptions: true }));
  for (const task of toCancel) {
    if (task.cancelled()) continue;
    if (task.exception() !== null) {
      loop.call_exception_handler({ message: "unhandled exception during asyncio.run() shutdown", exception: task.exception(), task });
    }
  }
}

/** Run one scenario on tulip and return its trace lines. */
export function runScenario(sc: Scenario): Promise<string[]> {
  return new Interpreter(sc).run();
}
