// wait_for() in a task other than main: on timeout the inner coroutine is cancelled at its
// await, not waited for, and the task goes on.
import * as asyncio from "tulip";

async function inner(): Promise<string> {
  try {
    await asyncio.sleep(1);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("inner cancelled");
    throw e;
  }
  console.log("inner ran to the end");
  return "late";
}

async function guarded(): Promise<string> {
  await asyncio.sleep(0.01);
  try {
    return await asyncio.wait_for(inner(), 0.05);
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    console.log("guarded: TimeoutError");
    return "timed out";
  }
}

async function main(): Promise<void> {
  console.log("main got:", await asyncio.wait_for(guarded(), 5));
}

await asyncio.run(main());
