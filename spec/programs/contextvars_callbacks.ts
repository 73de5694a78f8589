// call_soon runs its callback in a copy of the current context, or in the context= given.
import * as asyncio from "tulip";
import { ContextVar, copy_context } from "tulip/contextvars";

const color = new ContextVar<string>("color", { default: "white" });

function show(label: string): void {
  console.log(label, "sees", color.get());
  color.set("set by " + label);
}

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop();
  color.set("red");
  const ctx = copy_context();
  ctx.run(() => color.set("blue"));
  loop.call_soon(show, "plain callback");
  loop.call_soon(show, "callback with context", { context: ctx });
  loop.call_later(0.01, show, "timer with context", { context: ctx });
  await asyncio.sleep(0.05);
  console.log("main sees", color.get(), "and ctx holds", ctx.get(color));
}

await asyncio.run(main());
