// A task that its loop's close() left waiting, then dropped and collected: CPython closes its
// coroutine (the finally block runs) and reports it to the closed loop's exception handler.
import * as asyncio from "tulip";

async function waiter(): Promise<void> {
  try {
    await asyncio.sleep(10);
  } finally {
    console.log("waiter's finally ran");
  }
}

const loop = asyncio.new_event_loop();
loop.set_exception_handler((l, context) => console.log("handler:", context.message, "closed:", l.is_closed() ? "True" : "False"));
let task: asyncio.Task<void> | null = loop.create_task(waiter());
await loop.run_until_complete(asyncio.sleep(0));
loop.close();
console.log("closed with the task pending:", !task.done() ? "True" : "False");
task = null;
(globalThis as { gc?: () => void }).gc?.(); // only with --expose-gc
await new Promise((resolve) => setTimeout(resolve, 50));
console.log("collected");
