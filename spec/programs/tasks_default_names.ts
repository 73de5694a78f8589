// Default task names: Task-N, where a task created with a name still draws a number.
import * as asyncio from "tulip";

async function noop(): Promise<void> {
  await asyncio.sleep(0);
}

async function main(): Promise<void> {
  console.log("main is", asyncio.current_task()!.get_name());
  const named = asyncio.create_task(noop(), { name: "named" });
  const plain = asyncio.create_task(noop());
  console.log(named.get_name(), plain.get_name());
  const wrapped = asyncio.ensure_future(noop());
  console.log("ensure_future made", (wrapped as asyncio.Task<void>).get_name());
  await asyncio.gather(named, plain, wrapped);
  const later = asyncio.create_task(noop());
  later.set_name("renamed");
  console.log("set_name gives", later.get_name());
  await later;
  console.log("the next one is", asyncio.create_task(noop()).get_name());
}

await asyncio.run(main());
