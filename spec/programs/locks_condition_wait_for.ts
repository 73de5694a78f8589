// Condition.wait_for(predicate) re-checks the predicate on each notify until it holds.
import * as asyncio from "tulip";

async function main(): Promise<void> {
  const cond = new asyncio.Condition();
  const state = { count: 0 };

  async function waiter(): Promise<void> {
    await asyncio.asyncWith(cond, async () => {
      const result = await cond.wait_for(() => state.count >= 3);
      console.log("predicate held at count", state.count, "returned", result ? "True" : "False");
    });
  }

  const task = asyncio.create_task(waiter());
  for (let i = 0; i < 4; i++) {
    await asyncio.sleep(0);
    await asyncio.asyncWith(cond, async () => {
      state.count += 1;
      console.log("count is", state.count);
      cond.notify();
    });
  }
  await task;
}

await asyncio.run(main());
