// A timeout's deadline can be set later from inside the block (reschedule), or removed.
import * as asyncio from "tulip";

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop();
  try {
    await asyncio.asyncWith(asyncio.timeout(null), async (cm) => {
      console.log("when() at first:", cm.when() === null ? "None" : cm.when());
      cm.reschedule(loop.time() + 0.05);
      console.log("rescheduled:", cm.when() !== null ? "a deadline" : "none");
      await asyncio.sleep(1);
    });
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    console.log("timed out after the reschedule");
  }
  const cm = asyncio.timeout(0.02);
  await asyncio.asyncWith(cm, async (cm) => {
    cm.reschedule(null);
    await asyncio.sleep(0.05);
  });
  console.log("a removed deadline does not fire: expired() =", cm.expired() ? "True" : "False");
}

await asyncio.run(main());
