// From inside a running loop: closing it, running it again, running another loop, asyncio.run and
// Runner.run are all refused, and the loop goes on.
import * as asyncio from "tulip";

const py = (b: boolean): string => (b ? "True" : "False");

async function child(): Promise<string> {
  return "child ran";
}

function message(e: unknown): string {
  if (!(e instanceof asyncio.RuntimeError)) throw e;
  return e.message;
}

async function main(): Promise<string> {
  const loop = asyncio.get_running_loop();
  loop.call_soon(console.log, "a callback queued before the refusals");
  try {
    loop.close();
  } catch (e) {
    console.log("close:", message(e));
  }
  console.log("closed:", py(loop.is_closed()), "running:", py(loop.is_running()));
  try {
    await loop.run_forever();
  } catch (e) {
    console.log("run_forever:", message(e));
  }
  const fut = loop.create_future();
  try {
    await loop.run_until_complete(fut);
  } catch (e) {
    console.log("run_until_complete:", message(e));
  }
  const other = asyncio.new_event_loop();
  try {
    await other.run_until_complete(other.create_future());
  } catch (e) {
    console.log("another loop:", message(e));
  }
  other.close();
  try {
    await other.run_forever();
  } catch (e) {
    console.log("another loop, closed:", message(e));
  }
  const coro = child();
  try {
    await asyncio.run(coro);
  } catch (e) {
    console.log("asyncio.run:", message(e));
  }
  try {
    await new asyncio.Runner().run(coro);
  } catch (e) {
    console.log("Runner.run:", message(e));
  }
  console.log("the refused coroutine, awaited:", await coro);
  await asyncio.sleep(0);
  console.log("main goes on; fut done:", py(fut.done()));
  return "main done";
}

console.log(await asyncio.run(main()));
