// A task cancelled before its first step never runs its body.
import * as asyncio from "tulip";

async function never(): Promise<void> {
  console.log("body ran");
  await asyncio.sleep(0);
  console.log("body finished");
}

async function main(): Promise<void> {
  const task = asyncio.create_task(never());
  task.cancel();
  try {
    await task;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("cancelled before it started");
  }
  console.log("task is", task.cancelled() ? "cancelled" : "not cancelled");
}

await asyncio.run(main());
