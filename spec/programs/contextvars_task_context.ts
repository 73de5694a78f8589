// create_task(context=ctx) runs the task in that very context: its changes are visible in ctx afterwards.
import * as asyncio from "tulip";
import { ContextVar, copy_context } from "tulip/contextvars";

const user = new ContextVar<string>("user", { default: "anonymous" });

async function job(): Promise<void> {
  console.log("job sees", user.get());
  user.set("changed by job");
}

async function main(): Promise<void> {
  const ctx = copy_context();
  ctx.run(() => user.set("alice"));
  console.log("main sees", user.get());
  await asyncio.create_task(job(), { context: ctx });
  console.log("ctx now holds", ctx.get(user));
  console.log("main still sees", user.get());
  await asyncio.create_task(job());
  console.log("without context=, main still sees", user.get());
}

await asyncio.run(main());
