/** asyncio's logger (`logging.getLogger("asyncio")`): where the loop reports what it cannot raise. */

export type LogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR";
export interface LogRecord {
  level: LogLevel;
  message: string;
  exception?: unknown;
}
export type LogHandler = (record: LogRecord) => void;

const LEVELS: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40 };

function formatException(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return String(e);
}

/** Writes to stderr as Python's last-resort handler does: the message, then the traceback. */
export const stderrHandler: LogHandler = (r) => {
  process.stderr.write(r.message + (r.exception !== undefined ? "\n" + formatException(r.exception) : "") + "\n");
};

class Logger {
  level = LEVELS.WARNING;
  /** Replace or add handlers to capture the loop's reports (tests do). */
  handlers: LogHandler[] = [stderrHandler];

  setLevel(level: LogLevel): void {
    this.level = LEVELS[level];
  }
  private emit(level: LogLevel, message: string, exception?: unknown): void {
    if (LEVELS[level] < this.level) return;
    const rec: LogRecord = exception === undefined ? { level, message } : { level, message, exception };
    for (const h of this.handlers) h(rec);
  }
  debug(msg: string): void { this.emit("DEBUG", msg); }
  info(msg: string): void { this.emit("INFO", msg); }
  warning(msg: string): void { this.emit("WARNING", msg); }
  error(msg: string, exception?: unknown): void { this.emit("ERROR", msg, exception); }
}

export const logger = new Logger();
