// gather() returns results in argument order, whatever order the children finish in.
import * as asyncio from "tulip";

async function job(name: string, delay: number): Promise<string> {
  await asyncio.sleep(delay);
  console.log(name, "finished");
  return name;
}

async function main(): Promise<void> {
  const results = await asyncio.gather(job("slow", 0.03), job("fast", 0.01), job("middle", 0.02));
  console.log("results:", results.join(" "));
  console.log("empty gather:", (await asyncio.gather()).length);
  const task = asyncio.create_task(job("task", 0));
  const both = await asyncio.gather(task, job("coro", 0));
  console.log("a task and a coroutine:", both.join(" "));
}

await asyncio.run(main());
