// main's task cancelled from a callback: asyncio.run raises CancelledError.
import * as asyncio from "tulip";

async function main(): Promise<void> {
  const task = asyncio.current_task()!;
  asyncio.get_running_loop().call_later(0.01, () => task.cancel());
  try {
    await asyncio.sleep(1);
  } finally {
    console.log("main's finally runs");
  }
}

try {
  await asyncio.run(main());
} catch (e) {
  if (!(e instanceof asyncio.CancelledError)) throw e;
  console.log("asyncio.run raised CancelledError");
}
await asyncio.run(main());
