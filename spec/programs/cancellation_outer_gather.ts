// Cancelling gather's outer future cancels the children that are still running.
import * as asyncio from "tulip";

async function child(name: string, delay: number): Promise<string> {
  try {
    await asyncio.sleep(delay);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log(name, "cancelled");
    throw e;
  }
  console.log(name, "done");
  return name;
}

async function main(): Promise<void> {
  const outer = asyncio.gather(child("a", 0.01), child("b", 1), child("c", 1));
  await asyncio.sleep(0.1);
  console.log("cancelling the gather");
  outer.cancel();
  try {
    await outer;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("main: the gather raised CancelledError");
  }
  console.log("outer is", outer.cancelled() ? "cancelled" : "not cancelled");
}

await asyncio.run(main());
