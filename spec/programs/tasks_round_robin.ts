// sleep(0) is one bare yield: three workers take turns, one step each per iteration.
import * as asyncio from "tulip";

async function worker(name: string, steps: number): Promise<number> {
  for (let i = 0; i < steps; i++) {
    console.log(name, "step", i);
    await asyncio.sleep(0);
  }
  console.log(name, "finished");
  return steps;
}

async function main(): Promise<void> {
  const tasks = ([["a", 3], ["b", 1], ["c", 2]] as const).map(([name, n]) => asyncio.create_task<number>(worker(name, n)));
  console.log("main yields");
  await asyncio.sleep(0);
  console.log("main is back");
  let total = 0;
  for (const t of tasks) {
    total += await t;
  }
  console.log("total steps", total);
}

await asyncio.run(main());
