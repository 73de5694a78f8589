// async with timeout(): the block is cancelled at the deadline and TimeoutError leaves it.
import * as asyncio from "tulip";

async function main(): Promise<void> {
  const cm = asyncio.timeout(0.05);
  try {
    await asyncio.asyncWith(cm, async (cm) => {
      console.log("deadline set:", cm.when() !== null ? "yes" : "no");
      try {
        await asyncio.sleep(1);
      } catch (e) {
        if (e instanceof asyncio.CancelledError) console.log("the block sees CancelledError");
        throw e;
      }
      console.log("not reached");
    });
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    console.log("TimeoutError outside the block; expired() =", cm.expired() ? "True" : "False");
  }
  const quick = asyncio.timeout(1);
  await asyncio.asyncWith(quick, async () => {
    await asyncio.sleep(0.01);
  });
  console.log("a quick block: expired() =", quick.expired() ? "True" : "False");
  const never = asyncio.timeout(null);
  await asyncio.asyncWith(never, async () => {
    await asyncio.sleep(0);
  });
  console.log("timeout(None): when() =", never.when() === null ? "None" : never.when());
}

await asyncio.run(main());
