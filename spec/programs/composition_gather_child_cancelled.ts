// A child of gather is cancelled: the gather raises CancelledError, the others go on.
import * as asyncio from "tulip";

async function child(name: string, delay: number): Promise<string> {
  try {
    await asyncio.sleep(delay);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log(name, "cancelled");
    throw e;
  }
  console.log(name, "finished");
  return name;
}

async function main(): Promise<void> {
  const first = asyncio.create_task(child("first", 1));
  const second = asyncio.create_task(child("second", 0.03));
  const outer = asyncio.gather(first, second);
  await asyncio.sleep(0.01);
  first.cancel();
  try {
    await outer;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("gather raised CancelledError");
  }
  console.log("second is", second.done() ? "done" : "still running");
  console.log("second:", await second);
}

await asyncio.run(main());
