// asyncio.run() inside a running loop is refused with RuntimeError; the outer run goes on.
import * as asyncio from "tulip";

async function inner(): Promise<string> {
  return "never";
}

async function main(): Promise<void> {
  const coro = inner();
  try {
    await asyncio.run(coro);
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    console.log(e.name, e.message);
  }
  console.log("the coroutine can still be awaited:", await coro);
}

await asyncio.run(main());
