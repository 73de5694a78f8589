// wait(FIRST_EXCEPTION) returns when a task fails; the exception stays in the task.
import * as asyncio from "tulip";

async function job(delay: number, fail: boolean): Promise<number> {
  await asyncio.sleep(delay);
  if (fail) {
    throw new asyncio.ValueError(`failed after ${delay}`);
  }
  return delay;
}

type T = asyncio.Task<number>;
const names = (ts: Set<asyncio.Future<unknown>>) => "[" + [...ts].map((t) => `'${(t as T).get_name()}'`).sort().join(", ") + "]";

async function main(): Promise<void> {
  const tasks = [asyncio.create_task(job(0.01, false), { name: "ok" }),
    asyncio.create_task(job(0.02, true), { name: "bad" }),
    asyncio.create_task(job(1, false), { name: "slow" })];
  const [done, pending] = await asyncio.wait(tasks, { return_when: asyncio.FIRST_EXCEPTION });
  console.log("done:", names(done), "pending:", names(pending));
  for (const t of ([...done] as T[]).sort((a, b) => (a.get_name() < b.get_name() ? -1 : 1))) {
    const exc = t.exception() as Error | null;
    console.log(t.get_name(), "->", exc ? `${exc.name}: ${exc.message}` : t.result());
  }
  for (const t of pending) {
    t.cancel();
  }
  await asyncio.wait(pending);
  console.log("slow cancelled:", tasks[2].cancelled() ? "True" : "False");
}

await asyncio.run(main());
