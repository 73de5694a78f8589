// A consumer cancelled in get() loses nothing: the item goes to the next consumer.
import * as asyncio from "tulip";

async function consumer(name: string, queue: asyncio.Queue<string>): Promise<void> {
  try {
    const item = await queue.get();
    console.log(name, "got", item);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log(name, "cancelled in get()");
    throw e;
  }
}

async function main(): Promise<void> {
  const queue = new asyncio.Queue<string>();
  const first = asyncio.create_task(consumer("first", queue));
  const second = asyncio.create_task(consumer("second", queue));
  await asyncio.sleep(0);
  first.cancel();
  queue.put_nowait("the item");
  await asyncio.gather(first, second, { return_exceptions: true });
  console.log("queue size", queue.qsize());
}

await asyncio.run(main());
