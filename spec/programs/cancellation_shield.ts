// shield(): cancelling the waiter leaves the shielded task running to its result.
import * as asyncio from "tulip";

async function inner(): Promise<string> {
  await asyncio.sleep(0.3);
  console.log("inner finished");
  return "inner result";
}

async function waiter(task: asyncio.Task<string>): Promise<string> {
  try {
    return await asyncio.shield(task);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("waiter cancelled, inner is", task.done() ? "done" : "still running");
    throw e;
  }
}

async function main(): Promise<void> {
  const task = asyncio.create_task<string>(inner());
  const w = asyncio.create_task(waiter(task));
  await asyncio.sleep(0.01);
  w.cancel();
  try {
    await w;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("main: waiter raised CancelledError");
  }
  console.log("main awaits inner:", await task);
}

await asyncio.run(main());
