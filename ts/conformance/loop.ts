/**
 * The conformance suite's virtual-time loop: tulip's BaseEventLoop with the clock rules of
 * py/tulip_bridge/virtual_loop.py (spec/README.md, "The virtual clock"), so that both sides
 * compute the same times and count the same iterations:
 * - time starts at 0 and, when the loop would block, jumps exactly to the earliest timer's
 *   deadline (or by one day when that is further: CPython's capped select, which then runs
 *   an empty iteration);
 * - nothing ready and no timer: Deadlock, where a real loop would hang;
 * - more than `maxIterations` iterations: IterationLimit.
 * tulip's own `_iteration` counts the iterations that run a batch, which is every CPython
 * `_run_once` except the empty wake-ups counted here.
 */
import { BaseEventLoop } from "../asyncio/index.js";

const MAXIMUM_SELECT_TIMEOUT = 24 * 3600;

export class Deadlock extends Error {
  override name = "Deadlock";
}
export class IterationLimit extends Error {
  override name = "IterationLimit";
}

export class ConformanceLoop extends BaseEventLoop {
  private _vtime = 0;
  readonly maxIterations: number;

  constructor(maxIterations = 100_000) {
    super();
    this._clock_resolution = 1e-9;
    this.maxIterations = maxIterations;
  }

  override time(): number {
    return this._vtime;
  }

  /** The trace's ITERATION column. */
  get iteration(): number {
    return this._iteration;
  }

  override _select_timeout(): number | null {
    // Called where CPython's _run_once starts; it counts the iteration first, then checks.
    if (this._iteration >= this.maxIterations) {
      this._iteration++;
      throw new IterationLimit(`more than ${this.maxIterations} loop iterations`);
    }
    return super._select_timeout();
  }

  override _wait(timeout: number | null): void {
    // After a task's KeyboardInterrupt/SystemExit ended the run (_fatal), tulip's _drive still
    // starts one more iteration; CPython's _run_once has already raised. Do not move the
    // clock for it.
    if (!this.is_running()) return;
    if (timeout === null) {
      this._iteration++; // CPython counts the _run_once whose select would block forever
      this._fatal(new Deadlock("nothing ready and no timer pending"));
      return;
    }
    if (timeout >= MAXIMUM_SELECT_TIMEOUT) {
      this._vtime += timeout;
      const head = this._scheduled[0];
      // CPython runs this iteration with nothing to do; tulip would not count it.
      if (head === undefined || head._when >= this._vtime + this._clock_resolution) this._iteration++;
    } else {
      this._vtime = this._scheduled[0]._when;
    }
    queueMicrotask(() => this._drive());
  }
}
