// A producer and a consumer take turns through a Queue; None ends the stream.
import * as asyncio from "tulip";

async function producer(queue: asyncio.Queue<number | null>): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await queue.put(i);
    console.log("put", i);
    await asyncio.sleep(0);
  }
  await queue.put(null);
}

async function consumer(queue: asyncio.Queue<number | null>): Promise<number> {
  let total = 0;
  while (true) {
    const item = await queue.get();
    if (item === null) {
      break;
    }
    console.log("got", item);
    total += item;
  }
  return total;
}

async function main(): Promise<void> {
  const queue = new asyncio.Queue<number | null>();
  const [, total] = await asyncio.gather(producer(queue), consumer(queue));
  console.log("total", total, "empty", queue.empty() ? "True" : "False");
}

await asyncio.run(main());
