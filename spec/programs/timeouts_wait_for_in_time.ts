// wait_for() returns the result when it comes in time, and passes exceptions through.
import * as asyncio from "tulip";

async function quick<T>(value: T): Promise<T> {
  await asyncio.sleep(0.01);
  return value;
}

async function broken(): Promise<never> {
  await asyncio.sleep(0.01);
  throw new asyncio.KeyError("missing");
}

async function main(): Promise<void> {
  console.log("got", await asyncio.wait_for(quick(5), 1));
  console.log("got", await asyncio.wait_for(quick("no timeout"), null));
  try {
    await asyncio.wait_for(broken(), 1);
  } catch (e) {
    if (!(e instanceof asyncio.LookupError)) throw e;
    console.log("passed through:", e.name);
  }
  const task = asyncio.create_task(quick("from a task"));
  console.log("got", await asyncio.wait_for(task, 1));
}

await asyncio.run(main());
