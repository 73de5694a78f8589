// Spawned tasks interleave with call_soon and call_later(0) callbacks in loop order.
import * as asyncio from "tulip";

async function spawned(name: string): Promise<void> {
  console.log(`${name} step 1`);
  await asyncio.sleep(0);
  console.log(`${name} step 2`);
}

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop();
  loop.call_soon(console.log, "call_soon 1");
  const t1 = asyncio.create_task(spawned("t1"));
  loop.call_later(0, console.log, "call_later 0");
  loop.call_soon(console.log, "call_soon 2");
  const t2 = asyncio.create_task(spawned("t2"));
  console.log("main before its first await");
  await asyncio.sleep(0);
  console.log("main after sleep(0)");
  await t1;
  await t2;
  console.log("main done");
}

await asyncio.run(main());
