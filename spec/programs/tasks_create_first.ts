// The most common shape: main's first line creates a task.
import * as asyncio from "tulip";

async function worker(name: string, delay: number): Promise<string> {
  console.log(`${name} started`);
  await asyncio.sleep(delay);
  console.log(`${name} finished`);
  return name.toUpperCase();
}

async function main(): Promise<void> {
  const task = asyncio.create_task(worker("a", 0.01));
  console.log("main created the task");
  const other = asyncio.create_task(worker("b", 0.02));
  console.log("main awaits");
  const first = await task;
  const second = await other;
  console.log("results:", first, second);
}

await asyncio.run(main());
