// Releasing a Lock that is not held raises RuntimeError; acquire() returns True.
import * as asyncio from "tulip";

const py = (b: boolean) => (b ? "True" : "False");

async function main(): Promise<void> {
  const lock = new asyncio.Lock();
  try {
    lock.release();
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    console.log(e.name, e.message);
  }
  console.log("acquire() returned", py(await lock.acquire()));
  console.log("locked:", py(lock.locked()));
  lock.release();
  console.log("locked after release:", py(lock.locked()));
}

await asyncio.run(main());
