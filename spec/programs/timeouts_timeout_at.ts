// timeout_at() takes an absolute loop time; a deadline already past fires at the first await.
import * as asyncio from "tulip";

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop();
  try {
    await asyncio.asyncWith(asyncio.timeout_at(loop.time() + 0.03), async () => {
      await asyncio.sleep(1);
    });
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    console.log("timeout_at fired");
  }
  try {
    await asyncio.asyncWith(asyncio.timeout_at(loop.time() - 1), async () => {
      console.log("the block starts");
      await asyncio.sleep(0);
      console.log("not reached");
    });
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    console.log("a past deadline fired at the first await");
  }
}

await asyncio.run(main());
