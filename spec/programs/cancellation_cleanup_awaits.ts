// Cleanup that awaits inside finally still runs after a cancellation; a second cancel lands there.
import * as asyncio from "tulip";

async function worker(): Promise<void> {
  try {
    await asyncio.sleep(1);
  } finally {
    console.log("cleanup starts");
    await asyncio.sleep(0.01);
    console.log("cleanup step 2");
    try {
      await asyncio.sleep(1);
    } catch (e) {
      if (e instanceof asyncio.CancelledError) console.log("cleanup interrupted by the second cancel");
      throw e;
    }
  }
}

async function main(): Promise<void> {
  const task = asyncio.create_task(worker());
  await asyncio.sleep(0);
  task.cancel();
  await asyncio.sleep(0.05);
  console.log("task done?", task.done() ? "yes" : "no");
  task.cancel();
  try {
    await task;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("main: worker cancelled");
  }
}

await asyncio.run(main());
