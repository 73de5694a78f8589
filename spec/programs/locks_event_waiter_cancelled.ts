// An Event.wait() waiter is cancelled: it sees CancelledError; the other waiter still wakes.
import * as asyncio from "tulip";

async function waiter(name: string, event: asyncio.Event): Promise<void> {
  try {
    await event.wait();
    console.log(name, "woke up");
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log(name, "cancelled while waiting");
    throw e;
  }
}

async function main(): Promise<void> {
  const event = new asyncio.Event();
  const first = asyncio.create_task(waiter("first", event));
  const second = asyncio.create_task(waiter("second", event));
  await asyncio.sleep(0.01);
  first.cancel();
  await asyncio.sleep(0.01);
  console.log("first is", first.cancelled() ? "cancelled" : "not cancelled");
  event.set();
  await second;
  console.log("done");
}

await asyncio.run(main());
