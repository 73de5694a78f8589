// main raises while a task is pending: the task is cancelled and finishes first, then the error ends the program.
import * as asyncio from "tulip";

async function worker(): Promise<void> {
  try {
    await asyncio.sleep(10);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("worker cancelled during shutdown");
    throw e;
  }
}

async function main(): Promise<void> {
  asyncio.create_task(worker());
  await asyncio.sleep(0.01);
  throw new asyncio.RuntimeError("main failed");
}

await asyncio.run(main());
