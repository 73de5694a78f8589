/**
 * Rate-limited logging: a flood of bad frames from a hostile peer must not flood the log.
 * At most {@link LINES_PER_SECOND} lines a second pass; the rest are counted, and the count is
 * logged once that second is over, so nothing goes unmentioned.
 */

export const LINES_PER_SECOND = 10;

export interface RateLimitedLog {
  (message: string): void;
  /** Logs the count of lines suppressed so far, if any (a peer closing calls it). */
  flush(): void;
}

export function rateLimited(log: (message: string) => void, perSecond = LINES_PER_SECOND): RateLimitedLog {
  let windowStart = -Infinity;
  let passed = 0;
  let suppressed = 0;
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (suppressed === 0) return;
    log(`tulip bridge: ${suppressed} more log line${suppressed === 1 ? "" : "s"} suppressed (over ${perSecond} a second)`);
    suppressed = 0;
  };
  const limited = (message: string) => {
    const now = performance.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      passed = 0;
    }
    if (passed < perSecond) {
      passed++;
      return log(message);
    }
    suppressed++;
    if (timer === null) {
      timer = setTimeout(flush, Math.max(1, Math.ceil(windowStart + 1000 - now)));
      timer.unref();
    }
  };
  return Object.assign(limited, { flush });
}
