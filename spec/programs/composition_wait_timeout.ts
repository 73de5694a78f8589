// wait(timeout=) returns what is done at the deadline, cancels nothing, and leaves no helper task.
import * as asyncio from "tulip";

async function job(delay: number): Promise<number> {
  await asyncio.sleep(delay);
  return delay;
}

const names = (ts: Iterable<asyncio.Future<unknown>>) => "[" + [...ts].map((t) => `'${(t as asyncio.Task<unknown>).get_name()}'`).join(", ") + "]";

async function main(): Promise<void> {
  const quick = asyncio.create_task(job(0.01), { name: "quick" });
  const slow = asyncio.create_task(job(1), { name: "slow" });
  let [done, pending] = await asyncio.wait([quick, slow], { timeout: 0.5 });
  console.log("done:", names(done), "pending:", names(pending));
  console.log("slow is", slow.cancelled() ? "cancelled" : "not cancelled");
  console.log("tasks alive:", names([...asyncio.all_tasks()].sort((a, b) => (a.get_name() < b.get_name() ? -1 : 1))));
  slow.cancel();
  [done, pending] = await asyncio.wait([slow], { timeout: 1 });
  console.log("after cancel: done", done.size, "pending", pending.size);
}

await asyncio.run(main());
