// A Lock waiter cancelled while queued never runs its critical section; the next waiter gets the lock.
import * as asyncio from "tulip";

async function holder(lock: asyncio.Lock, release: asyncio.Event): Promise<void> {
  await asyncio.asyncWith(lock, async () => {
    console.log("holder has the lock");
    await release.wait();
    console.log("holder releases");
  });
}

async function waiter(name: string, lock: asyncio.Lock): Promise<void> {
  try {
    await asyncio.asyncWith(lock, async () => {
      console.log(name, "runs its critical section");
    });
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log(name, "cancelled while queued");
    throw e;
  }
}

async function main(): Promise<void> {
  const lock = new asyncio.Lock();
  const release = new asyncio.Event();
  const h = asyncio.create_task(holder(lock, release));
  await asyncio.sleep(0);
  const b = asyncio.create_task(waiter("b", lock));
  const c = asyncio.create_task(waiter("c", lock));
  await asyncio.sleep(0);
  b.cancel();
  await asyncio.sleep(0);
  release.set();
  await asyncio.gather(h, b, c, { return_exceptions: true });
  console.log("b cancelled:", b.cancelled() ? "True" : "False", "lock free:", !lock.locked() ? "True" : "False");
}

await asyncio.run(main());
