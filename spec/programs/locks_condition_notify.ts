// Condition: notify(1) wakes one waiter at a time, in order; notify_all() wakes the rest.
import * as asyncio from "tulip";

async function consumer(name: string, cond: asyncio.Condition, items: string[]): Promise<void> {
  await asyncio.asyncWith(cond, async () => {
    await cond.wait();
    console.log(name, "woke up and takes", items.shift());
  });
}

async function main(): Promise<void> {
  const cond = new asyncio.Condition();
  const items: string[] = [];
  const tasks = [0, 1, 2, 3].map((i) => asyncio.create_task(consumer(`c${i}`, cond, items)));
  await asyncio.sleep(0);
  for (const item of ["apple", "pear"]) {
    await asyncio.asyncWith(cond, async () => {
      items.push(item);
      cond.notify(1);
      console.log("notified one for", item);
    });
    await asyncio.sleep(0);
  }
  await asyncio.asyncWith(cond, async () => {
    items.push("plum", "fig");
    cond.notify_all();
    console.log("notified all");
  });
  await asyncio.gather(...tasks);
  console.log("left:", `[${items.join(", ")}]`);
}

await asyncio.run(main());
