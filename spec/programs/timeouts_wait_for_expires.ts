// wait_for() times out at its deadline: the inner coroutine is cancelled, not waited for.
import * as asyncio from "tulip";

async function inner(): Promise<string> {
  try {
    await asyncio.sleep(1);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("inner cancelled");
    throw e;
  }
  console.log("inner ran to the end");
  return "late";
}

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop();
  const start = loop.time();
  try {
    await asyncio.wait_for(inner(), 0.05);
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    const elapsed = loop.time() - start;
    console.log(e.name, "after", elapsed < 0.5 ? "less than 0.5 s" : "more than 0.5 s");
  }
}

await asyncio.run(main());
