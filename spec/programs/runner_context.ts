// asyncio.Runner: one loop and one context for several runs; a task started in one run finishes in the next.
import * as asyncio from "tulip";
import { ContextVar } from "tulip/contextvars";

const setting = new ContextVar<string>("setting", { default: "unset" });

const started: asyncio.Task<string>[] = [];

async function configure(): Promise<void> {
  setting.set("configured");
  started.push(asyncio.create_task(report("background")));
}

async function report(label: string): Promise<string> {
  await asyncio.sleep(0);
  console.log(label, "sees", setting.get());
  return label;
}

async function finish(task: asyncio.Task<string>): Promise<void> {
  console.log("second run sees", setting.get());
  console.log("awaiting the task from the first run:", await task);
}

await asyncio.asyncWith(new asyncio.Runner(), async (runner) => {
  await runner.run(configure());
  const task = started[0];
  await runner.run(finish(task));
  console.log("same loop for both runs:", task.get_loop() === runner.get_loop() ? "True" : "False");
});
console.log("outside the runner:", setting.get());
