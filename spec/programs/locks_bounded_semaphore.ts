// BoundedSemaphore refuses a release beyond its initial value; Semaphore(-1) is a ValueError.
import * as asyncio from "tulip";

async function main(): Promise<void> {
  const sem = new asyncio.BoundedSemaphore(1);
  await sem.acquire();
  sem.release();
  try {
    sem.release();
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    console.log(e.name, e.message);
  }
  try {
    new asyncio.Semaphore(-1);
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    console.log(e.name, e.message);
  }
  const plain = new asyncio.Semaphore(0);
  plain.release();
  console.log("a plain Semaphore may go above its start:", plain.locked() ? "locked" : "not locked");
}

await asyncio.run(main());
