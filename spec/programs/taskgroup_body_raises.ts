// The body of the async with raises: the children are cancelled, the error comes in a group.
import * as asyncio from "tulip";

async function child(): Promise<void> {
  try {
    await asyncio.sleep(1);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("child cancelled");
    throw e;
  }
}

async function main(): Promise<void> {
  try {
    await asyncio.asyncWith(new asyncio.TaskGroup(), async (tg) => {
      tg.create_task(child());
      await asyncio.sleep(0.01);
      throw new asyncio.RuntimeError("body failed");
    });
  } catch (eg) {
    if (!(eg instanceof asyncio.ExceptionGroup)) throw eg;
    console.log("caught", eg.name, "[" + (eg.exceptions as Error[]).map((e) => `'${e.name}: ${e.message}'`).join(", ") + "]");
  }
}

await asyncio.run(main());
