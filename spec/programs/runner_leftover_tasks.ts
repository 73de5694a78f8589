// asyncio.run cancels the tasks main left behind and lets them finish before it returns.
import * as asyncio from "tulip";

async function background(): Promise<void> {
  try {
    await asyncio.sleep(10);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) {
      console.log("background task cancelled at shutdown");
      await asyncio.sleep(0);
      console.log("background cleanup done");
    }
    throw e;
  }
}

async function main(): Promise<string> {
  asyncio.create_task(background());
  asyncio.create_task(asyncio.sleep(10));
  asyncio.create_task(asyncio.sleep(20));
  await asyncio.sleep(0.01);
  console.log("main returns with", asyncio.all_tasks().size - 1, "tasks pending");
  return "main's result";
}

console.log("asyncio.run returned", await asyncio.run(main()));
