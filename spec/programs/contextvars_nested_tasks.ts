// A grandchild inherits its parent task's value at creation time, not main's and not later changes.
import * as asyncio from "tulip";
import { ContextVar } from "tulip/contextvars";

const trace = new ContextVar<string>("trace", { default: "root" });

async function grandchild(): Promise<void> {
  await asyncio.sleep(0);
  console.log("grandchild sees", trace.get());
}

async function child(): Promise<void> {
  trace.set("child");
  const task = asyncio.create_task(grandchild());
  trace.set("child, changed after create_task");
  await task;
  console.log("child sees", trace.get());
}

async function main(): Promise<void> {
  trace.set("main");
  await asyncio.create_task(child());
  console.log("main sees", trace.get());
}

await asyncio.run(main());
