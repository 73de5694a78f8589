// A loop closed from plain code: what it refuses, what close() dropped, and that a coroutine it
// refused was never started (asyncio.run can still run it).
import * as asyncio from "tulip";

const py = (b: boolean): string => (b ? "True" : "False");

function announce(): void {
  console.log("a dropped callback ran");
}

async function work(): Promise<number> {
  console.log("work started");
  await asyncio.sleep(0);
  return 42;
}

async function attempt(label: string, call: () => unknown): Promise<void> {
  try {
    await call();
    console.log(label, "ok");
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    console.log(label, "->", e.name, e.message);
  }
}

const loop = asyncio.new_event_loop();
const soon = loop.call_soon(announce);
const later = loop.call_later(0.01, announce);
console.log("closed before close():", py(loop.is_closed()));
loop.close();
console.log("closed after close():", py(loop.is_closed()), "running:", py(loop.is_running()));
loop.close();
console.log("a second close() is allowed");
console.log("dropped handles cancelled:", py(soon.cancelled()), py(later.cancelled()));

await attempt("call_soon", () => loop.call_soon(announce));
await attempt("call_later", () => loop.call_later(1, announce));
await attempt("call_at", () => loop.call_at(loop.time() + 1, announce));
await attempt("call_soon_threadsafe", () => loop.call_soon_threadsafe(announce));
const coro = work();
await attempt("create_task", () => loop.create_task(coro));
await attempt("run_until_complete", () => loop.run_until_complete(coro));
await attempt("run_forever", () => loop.run_forever());
loop.stop();
console.log("stop() is allowed");

console.log("the refused coroutine, run elsewhere:", await asyncio.run(coro));
