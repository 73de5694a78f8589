// A body that catches CancelledError and returns: the task ends with that result, not cancelled.
import * as asyncio from "tulip";

async function stubborn(): Promise<string> {
  try {
    await asyncio.sleep(1);
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("stubborn caught the cancellation");
    return "kept going";
  }
  return "slept";
}

async function main(): Promise<void> {
  const task = asyncio.create_task(stubborn());
  await asyncio.sleep(0);
  task.cancel();
  const result = await task;
  console.log("result:", result);
  console.log("task is", task.cancelled() ? "cancelled" : "not cancelled", "and cancelling() =", task.cancelling());
}

await asyncio.run(main());
