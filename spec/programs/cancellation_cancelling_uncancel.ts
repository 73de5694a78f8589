// cancelling() counts cancel requests; uncancel() takes one back so the task can go on.
import * as asyncio from "tulip";

async function victim(): Promise<string> {
  try {
    await asyncio.sleep(1);
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    const task = asyncio.current_task()!;
    console.log("inside: cancelling() =", task.cancelling());
    console.log("inside: uncancel() =", task.uncancel());
  }
  await asyncio.sleep(0);
  console.log("victim goes on");
  return "survived";
}

async function main(): Promise<void> {
  const task = asyncio.create_task(victim());
  await asyncio.sleep(0);
  task.cancel();
  task.cancel();
  console.log("after two cancel(): cancelling() =", task.cancelling());
  const result = await task;
  console.log("result", result, "and the task is", task.cancelled() ? "cancelled" : "not cancelled");
  console.log("main's own cancelling() =", asyncio.current_task()!.cancelling());
}

await asyncio.run(main());
