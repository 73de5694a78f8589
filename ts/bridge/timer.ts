/**
 * Timers of any length. Node's `setTimeout` takes at most 2^31-1 ms (about 24.8 days) and
 * fires at once, with a TimeoutOverflowWarning, for anything longer; a deadline from the wire
 * may be any number of seconds. {@link later} waits in steps of at most that much, re-arming
 * until the deadline; `Infinity` never fires.
 */

/** The longest delay Node's timers take. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  clear(): void;
}

/** Calls `fn` once `seconds` have passed (on the monotonic clock); `clear()` stops it. */
export function later(seconds: number, fn: () => void, { unref = false } = {}): LongTimer {
  let t: NodeJS.Timeout | null = null;
  if (!(seconds < Infinity)) return { clear() {} };
  const due = performance.now() + Math.max(0, seconds) * 1000;
  const arm = () => {
    const rest = due - performance.now();
    if (rest <= 0) {
      t = null;
      return fn();
    }
    t = setTimeout(arm, Math.min(Math.ceil(rest), MAX_TIMER_MS));
    if (unref) t.unref();
  };
  t = setTimeout(arm, Math.min(Math.ceil(Math.max(0, seconds) * 1000), MAX_TIMER_MS));
  if (unref) t.unref();
  return {
    clear() {
      if (t !== null) clearTimeout(t);
      t = null;
    },
  };
}
