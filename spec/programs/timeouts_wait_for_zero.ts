// wait_for(coro, 0): TimeoutError at once, and the coroutine never starts.
import * as asyncio from "tulip";

async function work(): Promise<string> {
  console.log("work started");
  await asyncio.sleep(0);
  return "done";
}

async function main(): Promise<void> {
  try {
    await asyncio.wait_for(work(), 0);
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    console.log("TimeoutError at once");
  }
  const done = asyncio.get_running_loop().create_future<string>();
  done.set_result("ready");
  console.log("a done future with timeout 0:", await asyncio.wait_for(done, 0));
}

await asyncio.run(main());
