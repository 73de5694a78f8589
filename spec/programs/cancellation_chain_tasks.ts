// Cancelling a task that awaits a task that awaits a task cancels all three, innermost first.
import * as asyncio from "tulip";

async function level(name: string, inner: Promise<void> | null): Promise<void> {
  try {
    if (inner === null) {
      await asyncio.sleep(1);
    } else {
      await asyncio.create_task(inner, { name: name + "'s child" });
    }
  } catch (e) {
    if (e instanceof asyncio.CancelledError) {
      console.log(name, "cancelled with message", `'${e.message}'`, "in", asyncio.current_task()!.get_name());
    }
    throw e;
  }
  console.log(name, "ran to the end");
}

async function main(): Promise<void> {
  const task = asyncio.create_task(level("a", level("b", level("c", null))), { name: "outer" });
  await asyncio.sleep(0.01);
  task.cancel("from main");
  try {
    await task;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("main:", `'${e.message}'`);
  }
}

await asyncio.run(main());
