// task.cancel() on a task made from a plain call: the body sees CancelledError at its await.
import * as asyncio from "tulip";

async function body(): Promise<void> {
  console.log("body starts");
  try {
    await asyncio.sleep(1);
    console.log("body slept to the end");
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("body sees CancelledError");
    throw e;
  } finally {
    console.log("body's finally runs");
  }
  console.log("code after the sleep runs");
}

async function main(): Promise<void> {
  const task = asyncio.create_task(body());
  await asyncio.sleep(0.01);
  console.log("cancel() says", task.cancel() ? "requested" : "too late");
  try {
    await task;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("main: awaiting the task raised CancelledError");
  }
  console.log("task is", task.cancelled() ? "cancelled" : "not cancelled");
}

await asyncio.run(main());
