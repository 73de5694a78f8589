// A task created from top-level code on a Runner's loop copies the top-level context; Runner.run keeps the Runner's.
import * as asyncio from "tulip";
import { ContextVar } from "tulip/contextvars";

const where = new ContextVar<string>("where", { default: "unset" });

async function setter(): Promise<void> {
  where.set("set inside the runner");
}

async function reader(label: string): Promise<string> {
  await asyncio.sleep(0);
  console.log(label, "sees:", where.get());
  return label;
}

where.set("top level");
await asyncio.asyncWith(new asyncio.Runner(), async (runner) => {
  await runner.run(setter());
  const task = runner.get_loop().create_task(reader("task made at top level"));
  console.log("second run returned", await runner.run(reader("second run")));
  console.log("the top-level task is", task.done() ? "done" : "pending", "with", task.result());
});
console.log("top level sees:", where.get());
