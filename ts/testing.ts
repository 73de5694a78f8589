/**
 * tulip/testing: a virtual-time event loop for tests (CPython's test_utils.TestLoop, trio's
 * MockClock). When nothing is ready, time jumps to the next timer instead of waiting, so
 * timing tests are exact and instant. I/O still works: the loop polls Node's I/O (one
 * macrotask turn) before each jump.
 */
import { BaseEventLoop } from "./asyncio/base_events.js";

export class VirtualTimeLoop extends BaseEventLoop {
  private _virtualTime = 0;
  private _polled = false;

  /** Virtual seconds since the loop was made (starts at 0). */
  override time(): number {
    return this._virtualTime;
  }

  /** Move the clock forward by `seconds` (as TestLoop.advance_time). */
  advance_time(seconds: number): void {
    if (seconds) this._virtualTime += seconds;
  }

  override _wait(timeout: number | null): void {
    if (timeout === null) {
      super._wait(null); // nothing scheduled: wait for a wake-up (I/O, call_soon from outside)
      return;
    }
    if (!this._polled) {
      // Let pending I/O land before time moves on, as select(timeout) would return it first.
      this._polled = true;
      this._pollIO();
      return;
    }
    this._polled = false;
    // select(timeout) returns at once with no events, having advanced the clock by timeout.
    this._virtualTime += timeout;
    this._pollIOThenDrive();
  }

  private _pollIOThenDrive(): void {
    queueMicrotask(() => this._drive());
  }
}

/** A new virtual-time loop. */
export function new_virtual_time_loop(): VirtualTimeLoop {
  return new VirtualTimeLoop();
}
