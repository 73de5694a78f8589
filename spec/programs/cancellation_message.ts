// cancel(msg): the message reaches the body's CancelledError and the awaiter's.
import * as asyncio from "tulip";

async function body(): Promise<void> {
  try {
    await asyncio.sleep(1);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("body got CancelledError, args[0] =", e.args[0]);
    throw e;
  }
}

async function main(): Promise<void> {
  const task = asyncio.create_task(body());
  await asyncio.sleep(0);
  task.cancel("stop now");
  try {
    await task;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("main got CancelledError:", e.message);
  }
  try {
    task.result();
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("result() raises CancelledError:", e.message);
  }
}

await asyncio.run(main());
