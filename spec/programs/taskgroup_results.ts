// TaskGroup waits for every child; the body's code after create_task runs first.
import * as asyncio from "tulip";

async function work(n: number): Promise<number> {
  await asyncio.sleep(0.01 * n);
  console.log("work", n, "done");
  return n * n;
}

async function main(): Promise<void> {
  let tasks: asyncio.Task<number>[] = [];
  await asyncio.asyncWith(new asyncio.TaskGroup(), async (tg) => {
    tasks = [3, 1, 2].map((n) => tg.create_task(work(n)));
    console.log("body done, the group waits");
  });
  console.log("results:", ...tasks.map((t) => t.result()));
}

await asyncio.run(main());
