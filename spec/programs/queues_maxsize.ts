// A bounded Queue: put() waits while it is full and goes on once a get() makes room.
import * as asyncio from "tulip";

async function producer(queue: asyncio.Queue<number>): Promise<void> {
  for (let i = 0; i < 4; i++) {
    console.log("putting", i);
    await queue.put(i);
    console.log("put", i, "size now", queue.qsize());
  }
}

async function main(): Promise<void> {
  const queue = new asyncio.Queue<number>(2);
  const task = asyncio.create_task(producer(queue));
  await asyncio.sleep(0.01);
  console.log("full:", queue.full() ? "True" : "False", "maxsize:", queue.maxsize);
  while (!task.done() || !queue.empty()) {
    const item = await queue.get();
    console.log("got", item);
    await asyncio.sleep(0);
  }
  await task;
}

await asyncio.run(main());
