// Lock waiters acquire in the order they queued; the holder keeps the lock across awaits.
import * as asyncio from "tulip";

async function worker(name: string, lock: asyncio.Lock): Promise<void> {
  console.log(name, "wants the lock");
  await asyncio.asyncWith(lock, async () => {
    console.log(name, "holds the lock");
    await asyncio.sleep(0);
    await asyncio.sleep(0);
    console.log(name, "releases the lock");
  });
}

async function main(): Promise<void> {
  const lock = new asyncio.Lock();
  const tasks = ["a", "b", "c"].map((name) => asyncio.create_task(worker(name, lock)));
  await asyncio.gather(...tasks);
  console.log("locked at the end:", lock.locked() ? "True" : "False");
}

await asyncio.run(main());
