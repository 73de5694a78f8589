// as_completed(timeout=) raises TimeoutError for what is not done in time, with no task left behind.
import * as asyncio from "tulip";

async function job(name: string, delay: number): Promise<string> {
  await asyncio.sleep(delay);
  return name;
}

async function main(): Promise<void> {
  const fast = asyncio.create_task(job("fast", 0.01), { name: "fast" });
  const slow = asyncio.create_task(job("slow", 1), { name: "slow" });
  try {
    for (const next_done of asyncio.as_completed([fast, slow], { timeout: 0.5 })) {
      console.log("got", await next_done);
    }
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    console.log("TimeoutError for the rest");
  }
  console.log("tasks alive:", "[" + [...asyncio.all_tasks()].map((t) => `'${t.get_name()}'`).sort().join(", ") + "]");
  console.log("slow is", slow.cancelled() ? "cancelled" : "not cancelled");
  slow.cancel();
}

await asyncio.run(main());
