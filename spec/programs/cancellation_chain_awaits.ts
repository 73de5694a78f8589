// A cancel message travels through a -> b -> c, each awaiting the next directly.
import * as asyncio from "tulip";

async function c(): Promise<void> {
  try {
    await asyncio.sleep(1);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("c sees CancelledError:", e.message);
    throw e;
  }
  console.log("c ran to the end");
}

async function b(): Promise<void> {
  try {
    await c();
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("b sees CancelledError:", e.message);
    throw e;
  }
  console.log("b ran to the end");
}

async function a(): Promise<void> {
  try {
    await b();
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("a sees CancelledError:", e.message);
    throw e;
  }
  console.log("a ran to the end");
}

async function main(): Promise<void> {
  const task = asyncio.create_task(a());
  await asyncio.sleep(0.01);
  task.cancel("shutting down");
  try {
    await task;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("main sees CancelledError:", e.message);
  }
}

await asyncio.run(main());
