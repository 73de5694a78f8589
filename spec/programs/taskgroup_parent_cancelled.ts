// The task running a TaskGroup is cancelled: the children are cancelled, CancelledError (no group) leaves.
import * as asyncio from "tulip";

async function child(): Promise<void> {
  try {
    await asyncio.sleep(1);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("child cancelled");
    throw e;
  }
}

async function parent(): Promise<void> {
  try {
    await asyncio.asyncWith(new asyncio.TaskGroup(), async (tg) => {
      tg.create_task(child());
      await asyncio.sleep(1);
    });
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("parent sees CancelledError, not a group");
    throw e;
  }
}

async function main(): Promise<void> {
  const task = asyncio.create_task(parent());
  await asyncio.sleep(0.01);
  task.cancel();
  try {
    await task;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("main: parent cancelled");
  }
}

await asyncio.run(main());
