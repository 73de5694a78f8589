// Two children fail in the same iteration: both are in the group, in the order they failed.
import * as asyncio from "tulip";

async function fail_after(delay: number, exc: Error): Promise<never> {
  await asyncio.sleep(delay);
  throw exc;
}

async function main(): Promise<void> {
  try {
    await asyncio.asyncWith(new asyncio.TaskGroup(), async (tg) => {
      tg.create_task(fail_after(0, new asyncio.ValueError("first")));
      tg.create_task(fail_after(0, new asyncio.RuntimeError("second")));
    });
  } catch (eg) {
    if (!(eg instanceof asyncio.ExceptionGroup)) throw eg;
    console.log("as a string:", String(eg));
    console.log("sub-exceptions:", (eg.exceptions as Error[]).map((e) => `${e.name}(${e.message})`).join(", "));
  }
}

await asyncio.run(main());
