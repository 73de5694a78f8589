// Event.set() wakes every waiter, in the order they started waiting; clear() makes them wait again.
import * as asyncio from "tulip";

async function waiter(name: string, event: asyncio.Event): Promise<void> {
  console.log(name, "waits");
  await event.wait();
  console.log(name, "woke up");
}

async function main(): Promise<void> {
  const event = new asyncio.Event();
  const tasks = ["w1", "w2", "w3"].map((n) => asyncio.create_task(waiter(n, event)));
  await asyncio.sleep(0);
  console.log("setting the event");
  event.set();
  await asyncio.gather(...tasks);
  console.log("a set event returns at once:", (await event.wait()) ? "True" : "False");
  event.clear();
  const late = asyncio.create_task(waiter("late", event));
  await asyncio.sleep(0.01);
  console.log("late is", late.done() ? "done" : "waiting");
  event.set();
  await late;
}

await asyncio.run(main());
