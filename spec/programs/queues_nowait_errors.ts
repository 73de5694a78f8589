// get_nowait() on an empty Queue raises QueueEmpty, put_nowait() on a full one QueueFull; task_done() too often is a ValueError.
import * as asyncio from "tulip";

async function main(): Promise<void> {
  const queue = new asyncio.Queue<string>(1);
  try {
    queue.get_nowait();
  } catch (e) {
    if (!(e instanceof asyncio.QueueEmpty)) throw e;
    console.log("empty:", e.name, `'${e.message}'`);
  }
  queue.put_nowait("x");
  try {
    queue.put_nowait("y");
  } catch (e) {
    if (!(e instanceof asyncio.QueueFull)) throw e;
    console.log("full:", e.name, `'${e.message}'`);
  }
  console.log("got", queue.get_nowait());
  queue.task_done();
  try {
    queue.task_done();
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    console.log(e.name, e.message);
  }
}

await asyncio.run(main());
