// all_tasks() lists main and the pending tasks, and nothing else.
import * as asyncio from "tulip";

async function sleeper(delay: number): Promise<void> {
  await asyncio.sleep(delay);
}

async function main(): Promise<void> {
  const tasks = ([[1, 0.01], [2, 0.3], [3, 0.3]] as const).map(([i, delay]) => asyncio.create_task(sleeper(delay), { name: `s${i}` }));
  await asyncio.sleep(0);
  console.log("pending:", [...asyncio.all_tasks()].map((t) => t.get_name()).sort().join(" "));
  await tasks[0];
  console.log("after s1:", [...asyncio.all_tasks()].map((t) => t.get_name()).sort().join(" "));
  await asyncio.gather(...tasks);
  console.log("at the end:", asyncio.all_tasks().size, "task");
}

await asyncio.run(main());
