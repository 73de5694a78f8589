// as_completed() yields results in the order the tasks finish.
import * as asyncio from "tulip";

async function job(name: string, delay: number): Promise<string> {
  await asyncio.sleep(delay);
  return name;
}

async function main(): Promise<void> {
  const tasks = ([["c", 0.03], ["a", 0.01], ["b", 0.02]] as const).map(([n, d]) => asyncio.create_task(job(n, d)));
  let i = 0;
  for (const next_done of asyncio.as_completed(tasks)) {
    console.log(i, await next_done);
    i++;
  }
}

await asyncio.run(main());
