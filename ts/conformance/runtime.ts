/**
 * What every coroutine form of the tulip conformance interpreter shares (spec/README.md):
 * the run itself (what `asyncio.run` does, written out so that a deadlock can stop it), the
 * trace and its names, expression evaluation, scenario functions, protocol factories, and
 * the runaway budget. A form only says how a scenario coroutine or function is made:
 * interpreted generator frames (interpreter.ts) or generated JavaScript (forms.ts).
 *
 * The statement helpers (`ev`, `test`, `trace`, `enter`, `returned`, `handles`, …) are what
 * both the interpreter and the generated code call for each statement, so that the forms
 * differ only in how coroutines run.
 */
import * as asyncio from "../asyncio/index.js";
import { CoroutineObject, Task } from "../asyncio/index.js";
import * as contextvars from "../contextvars.js";
import { ConformanceLoop, Deadlock, IterationLimit } from "./loop.js";
import { Tuple, dumps, formatTime, tag, type Namer } from "./trace.js";
import type { Callable, Expr, Scenario } from "./scenario.js";

/** The scenario itself is wrong; never caught by its own except clauses. */
export class ScenarioError extends Error {
  override name = "ScenarioError";
}

/**
 * A step that never yields: one loop iteration ran more statements, or scheduled more
 * callbacks, than any scenario can (a bug in tulip, e.g. `sleep(0)` that does not yield or
 * a callback re-queued into the running batch). The run stops and the scenario is reported
 * as a TIMEOUT, instead of spinning until the process runs out of memory.
 */
export class Runaway extends ScenarioError {
  override name = "Runaway";
}

/**
 * The runaway budgets, per loop iteration. The suite's busiest iteration runs a few hundred
 * statements and schedules a few hundred callbacks (measured: see forms.test.ts); a runaway
 * reaches these in well under a second.
 */
export const BUDGET = { statements: 100_000, handles: 100_000 };

/**
 * Test-only hooks: `asyncio` replaces asyncio names as scenarios see them (to inject a bug
 * such as a `sleep(0)` that returns at once). Empty outside tests.
 */
export const _testing = { asyncio: {} as Record<string, unknown> };

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
  "Queue", "PriorityQueue", "LifoQueue", "TaskGroup", "ContextVar", "Runner"]);

/** Methods that return a tuple in Python and an array in tulip. */
const TUPLE_RESULTS = new Set(["get_write_buffer_limits"]);

/** GC-driven exception-handler messages, never traced (as on the CPython side). */
const GC_MESSAGES = ["Task exception was never retrieved", "Future exception was never retrieved",
  "Task was destroyed but it is pending"];

const DEFAULT_TASK_NAME = /^Task-\d+$/;

/** The protocol callbacks a scenario may map to its functions (the `protocol` expression). */
const PROTOCOL_CALLBACKS = ["connection_made", "data_received", "eof_received", "connection_lost",
  "pause_writing", "resume_writing"];

/** A coroutine's or function's variables, with main's as the globals. */
export class Frame {
  /** The exceptions being handled (innermost last), for a bare `raise`. */
  readonly handling: unknown[] = [];
  constructor(readonly vars: Map<string, unknown>, readonly globals: Map<string, unknown>, readonly actor: string,
    readonly name: string) {}

  lookup(name: string): unknown {
    if (this.vars.has(name)) return this.vars.get(name);
    if (this.globals.has(name)) return this.globals.get(name);
    throw new ScenarioError(`name '${name}' is not bound`);
  }
}

/** Python truthiness. */
export function truthy(x: unknown): boolean {
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

/** Objects and functions (a zero-argument function is a coroutine to tulip). */
function isObject(x: unknown): x is object {
  return x !== null && (typeof x === "object" || typeof x === "function");
}

function isThenable(x: unknown): boolean {
  return x !== null && (typeof x === "object" || typeof x === "function") && typeof (x as { then?: unknown }).then === "function";
}

/** The runtime whose scenario runs now, which unhandled rejections are reported to. */
let running: ScenarioRuntime | null = null;
/** The runtime that made each plain coroutine (a promise). */
const owners = new WeakMap<object, ScenarioRuntime>();
let listening = false;

export abstract class ScenarioRuntime implements Namer {
  readonly lines: string[] = [];
  protected readonly coroutines: Record<string, Callable>;
  protected readonly functions: Record<string, Callable>;
  private readonly labels = new Map<object, string>();
  private readonly coroLabels = new WeakMap<object, string>();
  private readonly fnCache = new Map<string, (...a: unknown[]) => unknown>();
  protected readonly globals = new Map<string, unknown>();
  protected readonly errors: unknown[] = [];
  private finished = false;
  protected loop!: asyncio.BaseEventLoop;
  private mainTask: Task<unknown> | null = null;
  private runaway: Runaway | null = null;
  private budgetIteration = -1;
  private spent = { statements: 0, handles: 0 };

  constructor(protected readonly sc: Scenario) {
    this.coroutines = sc.coroutines ?? {};
    this.functions = sc.functions ?? {};
  }

  // ---- what a form provides ----

  /** main's coroutine, as `asyncio.run(main())` gets it. */
  protected abstract makeMain(): unknown;
  /** A new coroutine object of the scenario's coroutine `name` (its arguments are checked). */
  protected abstract newCoro(name: string, args: unknown[]): unknown;
  /** The scenario's function `name` as a callable (made once: the same object each time). */
  protected abstract newFn(name: string, defn: Callable): (...a: unknown[]) => unknown;

  // ---- naming ----
  label(obj: object): string {
    return this.labels.get(obj) ?? "?";
  }

  coroLabel(coro: unknown): string {
    return (isObject(coro) && this.coroLabels.get(coro)) || "?";
  }

  taskName(task: Task<unknown>): string {
    const name = task.get_name();
    return DEFAULT_TASK_NAME.test(name) ? this.coroLabel(task.get_coro()) : name;
  }

  private currentActor(): string {
    // A plain async body can start where no loop runs (called from a callback after its
    // loop stopped, say): no task is current there.
    const loop = asyncio._get_running_loop();
    const task = loop === null ? null : asyncio.current_task(loop);
    return task === null ? "?" : this.taskName(task);
  }

  bind(frame: Frame, name: string, value: unknown): void {
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

  /**
   * A promise rejected with nobody to handle it (a plain async body's, whose coroutine was
   * never awaited): Node would end the process; the run traces it as a loop exception.
   */
  private onUnhandledRejection(e: unknown): void {
    if (e instanceof ScenarioError) this.errors.push(e);
    else this.emit("loop", "exception", ["unhandled promise rejection", e]);
  }

  // ---- running ----
  async run(): Promise<string[]> {
    if (!listening) {
      listening = true;
      process.on("unhandledRejection", (e, promise) => {
        // A plain coroutine's promise goes to the run that made it (unless that run is over);
        // any other to the run now going, unless it is another run's Runaway.
        const owner = owners.get(promise) ?? (e instanceof Runaway ? null : running);
        if (owner !== null && !owner.finished) owner.onUnhandledRejection(e);
      });
    }
    running = this;
    try {
      return await this.runMain();
    } finally {
      if (running === this) running = null;
    }
  }

  private async runMain(): Promise<string[]> {
    const loop = (this.loop = this.sc.clock === "real" ? asyncio.new_event_loop() : new ConformanceLoop());
    loop.set_exception_handler(this.onLoopException);
    this.budgetHandles(loop);
    const main = this.makeMain();
    let stuck = false;
    const stop = (e: unknown): boolean => {
      if (e instanceof Runaway) return true;
      if (e instanceof Deadlock || e instanceof IterationLimit) {
        this.emit("loop", e instanceof Deadlock ? "deadlock" : "limit", []);
        return true;
      }
      return false;
    };
    try {
      // What asyncio.run does, written out so that a deadlock can stop the run.
      const task = (this.mainTask = loop.create_task(main as asyncio.CoroutineLike<unknown>, { context: contextvars.copy_context() }));
      try {
        const result = await loop.run_until_complete(task);
        this.emit("runner", "return", [result]);
      } catch (e) {
        if (stop(e)) stuck = true;
        else if (e instanceof ScenarioError) this.errors.push(e);
        else this.emit("runner", "raise", [e]);
      }
      if (!stuck && this.runaway === null) {
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
    if (this.runaway !== null) throw this.runaway;
    if (this.errors.length > 0) throw this.errors[0];
    return this.lines;
  }

  // ---- the runaway budget ----

  /** Counts one statement or callback against the iteration's budget; false once past it. */
  private spend(kind: "statements" | "handles"): boolean {
    const it = this.loop._iteration;
    if (it !== this.budgetIteration) {
      this.budgetIteration = it;
      this.spent.statements = this.spent.handles = 0;
    }
    if (++this.spent[kind] <= BUDGET[kind] && this.runaway === null) return true;
    if (this.runaway === null) {
      const what = kind === "statements" ? `ran more than ${BUDGET[kind]} scenario statements` : `scheduled more than ${BUDGET[kind]} callbacks`;
      this.runaway = new Runaway(`loop iteration ${it} ${what} (a step that never yields)`);
      this.finished = true;
      // Stops the loop: the batch runs no further handle.
      this.loop._fatal(this.runaway);
    }
    return false;
  }

  /** Every callback scheduled counts against the iteration's handle budget. */
  private budgetHandles(loop: asyncio.BaseEventLoop): void {
    const schedule = loop._schedule;
    loop._schedule = <H extends asyncio.Handle>(handle: H): H => {
      // Past the budget the loop is stopped, and scheduling goes on harmlessly: throwing
      // here would break tulip's own bookkeeping (a task setting its result, say).
      this.spend("handles");
      return schedule.call(loop, handle) as H;
    };
  }

  // ---- statement helpers (the interpreter and the generated code call these) ----

  /** For generated code: its except clauses and `async with` let this pass. */
  readonly ScenarioError = ScenarioError;
  readonly truthy = truthy;

  /** Evaluates a statement's expression (each call counts against the runaway budget). */
  ev(x: Expr, frame: Frame): any {
    // Past the budget, scenario code is unwound (a synchronous loop would never give the
    // stopped loop a chance); the error is a ScenarioError, which no except clause takes.
    if (!this.spend("statements")) throw this.runaway;
    return this.eval(x, frame);
  }

  /** An `if`'s or `while`'s condition. */
  test(x: Expr, frame: Frame): boolean {
    return truthy(this.ev(x, frame));
  }

  /** A `trace` statement. */
  trace(frame: Frame, label: string, values: Expr[] = []): void {
    const vs = values.map((v) => this.ev(v, frame));
    this.emit(frame.actor, "trace", [label, ...vs]);
  }

  /** What `await X` awaits: X itself if JavaScript's `await` treats it as asyncio does, else tulip's `_await` of it. */
  awaitable(x: unknown): unknown {
    if (asyncio.isfuture(x) || x instanceof CoroutineObject || isThenable(x)) return x;
    return new CoroutineObject(function* () {
      return yield* asyncio._await(x);
    }, "await");
  }

  /** `await X` in a scenario function: allowed only if X completes without suspending. */
  awaitInFunction(frame: Frame, x: unknown): unknown {
    const gen = asyncio._await(x);
    const r = gen.next();
    if (!r.done) {
      gen.return(undefined);
      throw this.fail(new ScenarioError(`function ${frame.name} awaits`));
    }
    return r.value;
  }

  /** A `raise X` statement's exception. */
  raising(x: Expr, frame: Frame): unknown {
    const exc = this.ev(x, frame);
    if (!(exc instanceof Error)) throw new ScenarioError("raise of a non-exception");
    return exc;
  }

  /** A bare `raise`: the exception being handled. */
  reraise(frame: Frame): unknown {
    if (frame.handling.length === 0) throw new ScenarioError("bare raise outside an except clause");
    return frame.handling[frame.handling.length - 1];
  }

  /** Whether an except clause naming `types` (none: a bare `except:`) takes `e`. */
  handles(e: unknown, types: string[] | undefined): boolean {
    if (types === undefined || types.length === 0) return true;
    return types.some((t) => EXCEPTIONS[t] !== undefined && e instanceof EXCEPTIONS[t]);
  }

  /** `__aexit__`'s first argument: the exception's type. */
  excType(e: unknown): unknown {
    return e !== null && typeof e === "object" ? (e as object).constructor : null;
  }

  /** A coroutine's body starts: its frame (main's variables are the globals), and the `start` event. */
  enter(name: string, args: unknown[], isMain = false): Frame {
    const params = isMain ? [] : (this.coroutines[name]?.params ?? []);
    const vars = isMain ? this.globals : new Map(params.map((p, i) => [p, args[i]]));
    const frame = new Frame(vars, this.globals, this.currentActor(), name);
    this.emit(frame.actor, "start", [name, ...args]);
    return frame;
  }

  /** The coroutine returns `value`. */
  returned(frame: Frame, value: unknown): unknown {
    this.emit(frame.actor, "return", [frame.name, value]);
    return value;
  }

  /** An exception leaves the coroutine (a ScenarioError is kept to end the run as ERROR). */
  raised(frame: Frame, e: unknown): unknown {
    if (e instanceof ScenarioError) this.errors.push(e);
    else this.emit(frame.actor, "raise", [frame.name, e]);
    return e;
  }

  /** A scenario function is called: its arguments are checked, then the `call` event. */
  called(name: string, args: ArrayLike<unknown>): Frame {
    const params = this.functions[name]?.params ?? [];
    if (params.length !== args.length) throw this.fail(new ScenarioError(`${name} takes ${params.length} arguments, got ${args.length}`));
    const as = Array.from(args);
    const frame = new Frame(new Map(params.map((p, i) => [p, as[i]])), this.globals, name, name);
    this.emit(name, "call", as);
    return frame;
  }

  /** An exception leaves a scenario function. */
  fnRaised(frame: Frame, e: unknown): unknown {
    if (e instanceof ScenarioError) this.errors.push(e);
    else this.emit(frame.actor, "raise", [e]);
    return e;
  }

  /** A scenario error that must end the run even if tulip swallows it (a callback's, say). */
  fail(e: ScenarioError): ScenarioError {
    this.errors.push(e);
    return e;
  }

  // ---- coroutines and functions ----

  /** The `coro` expression: a new coroutine object, labelled `label` in traces. */
  makeCoro(name: string, args: unknown[], label: string): unknown {
    const defn = this.coroutines[name];
    if (defn === undefined) throw new ScenarioError(`no coroutine named '${name}'`);
    const params = defn.params ?? [];
    if (params.length !== args.length) throw new ScenarioError(`${name} takes ${params.length} arguments, got ${args.length}`);
    return this.labelCoro(this.newCoro(name, args), label);
  }

  protected labelCoro<T>(coro: T, label: string): T {
    if (isObject(coro)) this.coroLabels.set(coro, label);
    if (coro instanceof Promise) owners.set(coro, this);
    return coro;
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
      fn = this.newFn(name, defn);
      this.fnCache.set(name, fn);
    }
    return fn;
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
    const fn = this.need(_testing.asyncio[name] ?? A[name], `asyncio.${name}`);
    const result = call(fn, null, args, kwargs, CLASSES.has(name));
    if (name === "new_event_loop") {
      // A loop the scenario makes reports to the scenario's handler (`loop` events).
      (result as asyncio.BaseEventLoop).set_exception_handler(this.onLoopException);
    }
    if (name === "wait") {
      // asyncio.wait returns the tuple (done, pending); tulip returns an array. A lazy
      // coroutine, like tulip's wait itself, in every form.
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
