// A failing child cancels its sibling; the group raises an ExceptionGroup of the failure.
import * as asyncio from "tulip";

async function fail(): Promise<never> {
  await asyncio.sleep(0.01);
  throw new asyncio.ValueError("bad input");
}

async function slow(): Promise<void> {
  try {
    await asyncio.sleep(1);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("slow sibling cancelled");
    throw e;
  }
  console.log("slow sibling finished");
}

async function main(): Promise<void> {
  let sibling: asyncio.Task<void> | null = null;
  try {
    await asyncio.asyncWith(new asyncio.TaskGroup(), async (tg) => {
      sibling = tg.create_task(slow());
      tg.create_task(fail());
      console.log("body waits");
    });
  } catch (eg) {
    if (!(eg instanceof asyncio.ExceptionGroup)) throw eg;
    console.log(eg.name, "with", eg.exceptions.length, "exception");
    for (const e of eg.exceptions as Error[]) {
      console.log(" ", e.name, e.message);
    }
  }
  console.log("sibling is", sibling!.cancelled() ? "cancelled" : "not cancelled");
}

await asyncio.run(main());
