// PriorityQueue hands out the smallest item first, LifoQueue the newest.
import * as asyncio from "tulip";

async function main(): Promise<void> {
  const pq = new asyncio.PriorityQueue<[number, string]>();
  for (const item of [[3, "low"], [1, "urgent"], [2, "normal"], [1, "also urgent"]] as [number, string][]) {
    await pq.put(item);
  }
  while (!pq.empty()) {
    const [priority, name] = await pq.get();
    console.log("priority", priority, name);
  }
  const lq = new asyncio.LifoQueue<string>();
  for (const item of ["first", "second", "third"]) {
    lq.put_nowait(item);
  }
  console.log("lifo:", lq.get_nowait(), lq.get_nowait(), lq.get_nowait());
}

await asyncio.run(main());
