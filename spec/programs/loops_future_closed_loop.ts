// Futures and tasks of a loop that was closed: a future without callbacks still resolves; one with
// callbacks is done, but scheduling them raises; a task close() left waiting can no longer be
// cancelled, and one close() left unstarted never runs.
import * as asyncio from "tulip";

const py = (b: boolean): string => (b ? "True" : "False");
const show = (v: unknown): string => (v === undefined || v === null ? "None" : typeof v === "boolean" ? py(v) : String(v));

function on_done(_fut: asyncio.Future<unknown>): void {
  console.log("a done callback ran");
}

async function waiter(): Promise<void> {
  await asyncio.sleep(10);
}

async function never_started(): Promise<void> {
  console.log("never_started ran");
}

function attempt(label: string, call: () => unknown): void {
  try {
    console.log(label, "->", show(call()));
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    console.log(label, "->", e.name, e.message);
  }
}

const loop = asyncio.new_event_loop();
loop.set_exception_handler(() => {}); // the tasks' collection is not the point
const waiting = loop.create_task(waiter());
await loop.run_until_complete(asyncio.sleep(0));
const unstarted = loop.create_task(never_started());
const watched = loop.create_future<string>();
watched.add_done_callback(on_done);
loop.close();

const plain = loop.create_future<string>();
attempt("set_result, no callbacks", () => plain.set_result("value"));
console.log("result:", plain.result());
attempt("add_done_callback on a done future", () => plain.add_done_callback(on_done));
attempt("set_result, one callback", () => watched.set_result("late"));
console.log("done anyway:", py(watched.done()), watched.result());
const failing = loop.create_future();
failing.add_done_callback(on_done);
attempt("set_exception, one callback", () => failing.set_exception(new asyncio.ValueError("boom")));
const exc = failing.exception() as Error;
console.log("exception:", `${exc.name}('${exc.message}')`);

console.log("waiting task done:", py(waiting.done()));
attempt("cancel the waiting task", () => waiting.cancel());
console.log("cancelling:", waiting.cancelling(), "done:", py(waiting.done()));
attempt("cancel the unstarted task", () => unstarted.cancel());
console.log("unstarted done:", py(unstarted.done()));
const names = [...asyncio.all_tasks(loop)].map((t) => (t.get_coro() as { __name__?: string }).__name__ ?? "?").sort();
console.log("all tasks of the closed loop:", `[${names.map((n) => `'${n}'`).join(", ")}]`);
