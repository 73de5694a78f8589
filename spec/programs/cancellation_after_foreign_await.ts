// A task that first awaited work outside asyncio (a foreign promise here, a thread in the
// Python twin) and then waits on an Event is still its own task: cancel() reaches it at the
// Event's wait.
import * as asyncio from "tulip";

const outsideWork = (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

async function worker(ev: asyncio.Event): Promise<void> {
  await outsideWork(0.01);
  console.log("worker: the outside work is done, now waiting on the event");
  try {
    await ev.wait();
    console.log("worker: the event was set");
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("worker: cancelled while waiting on the event");
    throw e;
  }
}

async function main(): Promise<void> {
  const ev = new asyncio.Event();
  const task = asyncio.create_task(worker(ev));
  await asyncio.sleep(0.3);
  task.cancel();
  try {
    await task;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("main: task cancelled:", task.cancelled() ? "True" : "False");
  }
  ev.set();
  await asyncio.sleep(0);
  console.log("main: done");
}

await asyncio.run(main());
