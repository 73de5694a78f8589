// gather(return_exceptions=True) puts exceptions in the results instead of raising.
import * as asyncio from "tulip";

async function ok(value: number): Promise<number> {
  await asyncio.sleep(0);
  return value;
}

async function bad(message: string): Promise<never> {
  await asyncio.sleep(0);
  throw new asyncio.ValueError(message);
}

async function cancelled_child(): Promise<never> {
  await asyncio.sleep(0);
  throw new asyncio.CancelledError();
}

async function main(): Promise<void> {
  const results = await asyncio.gather(ok(1), bad("two"), ok(3), cancelled_child(), { return_exceptions: true });
  for (const r of results) {
    if (r instanceof asyncio.BaseException) {
      console.log("exception", r.name, r.message);
    } else {
      console.log("value", r);
    }
  }
}

await asyncio.run(main());
