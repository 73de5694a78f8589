// wait(FIRST_COMPLETED) returns as soon as one task is done; the rest stay pending.
import * as asyncio from "tulip";

async function job(delay: number): Promise<number> {
  await asyncio.sleep(delay);
  return delay;
}

const names = (ts: Set<asyncio.Future<unknown>>) => "[" + [...ts].map((t) => `'${(t as asyncio.Task<unknown>).get_name()}'`).sort().join(", ") + "]";

async function main(): Promise<void> {
  const tasks = [0.3, 0.01, 0.4].map((d, i) => asyncio.create_task(job(d), { name: `job${i}` }));
  let [done, pending] = await asyncio.wait(tasks, { return_when: asyncio.FIRST_COMPLETED });
  console.log("done:", names(done), "pending:", names(pending));
  [done, pending] = await asyncio.wait(pending);
  console.log("then done:", names(done), "pending:", pending.size);
}

await asyncio.run(main());
