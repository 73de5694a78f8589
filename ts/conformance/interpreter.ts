/**
 * The tulip conformance interpreter, generator form: runs a scenario (spec/README.md) on
 * tulip and returns its trace. It mirrors py/tulip_bridge/conformance.py statement for
 * statement; what every form shares (the run, the trace, expressions) is in runtime.ts.
 *
 * Scenario coroutines are lazy coroutine objects over generator functions, and an `await`
 * statement is `yield*` of the awaitable, so a scenario runs in exactly CPython's order
 * (DESIGN.md, "Laziness"): nothing starts before its task's first step, and an awaited
 * coroutine runs inline in its caller's step. forms.ts runs the same scenarios as generated
 * JavaScript async functions (the lazy, plain and compiled forms).
 */
import * as asyncio from "../asyncio/index.js";
import { CoroutineObject } from "../asyncio/index.js";
import { Frame, ScenarioError, ScenarioRuntime, truthy } from "./runtime.js";
import type { Block, Callable, Scenario, Step } from "./scenario.js";

export { ScenarioError } from "./runtime.js";

class Return {
  constructor(readonly value: unknown) {}
}
const BREAK = Symbol("break");
const CONTINUE = Symbol("continue");
type Sig = undefined | Return | typeof BREAK | typeof CONTINUE;
type Gen<T> = Generator<unknown, T, unknown>;

export class Interpreter extends ScenarioRuntime {
  constructor(sc: Scenario) {
    super(sc);
  }

  // ---- coroutines and functions ----
  protected makeMain(): unknown {
    return this.labelCoro(new CoroutineObject(() => this.coroBody("main", [], this.sc.main, true), "main"), "main");
  }

  protected newCoro(name: string, args: unknown[]): unknown {
    const body = this.coroutines[name].body;
    return new CoroutineObject(() => this.coroBody(name, args, body, false), name);
  }

  private *coroBody(name: string, args: unknown[], body: Block, isMain: boolean): Gen<unknown> {
    const frame = this.enter(name, args, isMain);
    let sig: Sig;
    try {
      sig = yield* this.execBlock(body, frame);
    } catch (e) {
      throw this.raised(frame, e);
    }
    return this.returned(frame, sig instanceof Return ? sig.value : null);
  }

  protected newFn(name: string, defn: Callable): (...a: unknown[]) => unknown {
    return { [name]: (...args: unknown[]) => this.callFn(name, defn, args) }[name]!;
  }

  private callFn(name: string, defn: Callable, args: unknown[]): unknown {
    const frame = this.called(name, args);
    const gen = this.execBlock(defn.body, frame);
    let r: IteratorResult<unknown, Sig>;
    try {
      r = gen.next();
    } catch (e) {
      throw this.fnRaised(frame, e);
    }
    if (!r.done) {
      gen.return(undefined);
      throw this.fail(new ScenarioError(`function ${name} awaits`));
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
      const value = yield* asyncio._await(this.ev(s.await, frame));
      if (s.as) this.bind(frame, s.as, value);
    } else if ("do" in s) {
      const value = this.ev(s.do, frame);
      if (s.as) this.bind(frame, s.as, value);
    } else if ("trace" in s) {
      this.trace(frame, s.trace, s.values);
    } else if ("return" in s) {
      return new Return(this.ev(s.return, frame));
    } else if ("raise" in s) {
      throw s.raise === null ? this.reraise(frame) : this.raising(s.raise, frame);
    } else if ("if" in s) {
      return yield* this.execBlock(this.test(s.if, frame) ? (s.then ?? []) : (s.else ?? []), frame);
    } else if ("while" in s) {
      while (this.test(s.while, frame)) {
        const sig = yield* this.execBlock(s.body, frame);
        if (sig === BREAK) break;
        if (sig !== undefined && sig !== CONTINUE) return sig;
      }
    } else if ("for" in s) {
      for (const item of this.ev(s.in, frame) as Iterable<unknown>) {
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
          if (this.handles(e, handler.types)) {
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
    const cm = this.ev(s.async_with, frame) as { __aenter__(): unknown; __aexit__(t: unknown, v: unknown, tb: unknown): unknown };
    const entered = yield* asyncio._await(cm.__aenter__());
    if (s.as) this.bind(frame, s.as, entered);
    let sig: Sig;
    try {
      sig = yield* this.execBlock(s.body, frame);
    } catch (e) {
      if (e instanceof ScenarioError) throw e;
      if (!truthy(yield* asyncio._await(cm.__aexit__(this.excType(e), e, null)))) throw e;
      return undefined;
    }
    yield* asyncio._await(cm.__aexit__(null, null, null));
    return sig;
  }
}

/** Run one scenario on tulip (generator form) and return its trace lines. */
export function runScenario(sc: Scenario): Promise<string[]> {
  return new Interpreter(sc).run();
}
