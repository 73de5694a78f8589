// A task's states: result() too early, done(), exception(), result() re-raising.
import * as asyncio from "tulip";

async function fails(): Promise<never> {
  await asyncio.sleep(0);
  throw new asyncio.ValueError("bad value");
}

async function succeeds(): Promise<number> {
  await asyncio.sleep(0);
  return 7;
}

async function main(): Promise<void> {
  const bad = asyncio.create_task(fails());
  const good = asyncio.create_task(succeeds());
  try {
    good.result();
  } catch (e) {
    if (!(e instanceof asyncio.InvalidStateError)) throw e;
    console.log("too early:", e.name, e.message);
  }
  console.log("done before:", good.done() ? "yes" : "no");
  await asyncio.wait([bad, good]);
  console.log("done after:", good.done() ? "yes" : "no");
  console.log("good result", good.result(), "exception", good.exception() === null ? "None" : good.exception());
  const exc = bad.exception() as Error;
  console.log("bad exception:", exc.name, exc.message);
  try {
    bad.result();
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    console.log("result() raises", e.name, e.message, e === exc ? "(same object)" : "(another object)");
  }
  console.log("cancelled:", bad.cancelled() ? "yes" : "no");
}

await asyncio.run(main());
