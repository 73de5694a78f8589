// Async generators left suspended are closed by the loop's shutdown_asyncgens(), which asyncio.run
// calls before closing its loop (their finally blocks run, awaits included); one that finished or
// never started is not touched again, and a closed loop's shutdown_asyncgens() has nothing to do.
import * as asyncio from "tulip";

const kept: AsyncGenerator<number>[] = [];

async function* numbers(name: string, n: number): AsyncGenerator<number> {
  try {
    for (let i = 0; i < n; i++) {
      yield i;
      await asyncio.sleep(0);
    }
    console.log(name, "ran to its end");
  } finally {
    await asyncio.sleep(0);
    console.log(name, "finally");
  }
}

async function main(): Promise<void> {
  const suspended = numbers("suspended", 10);
  kept.push(suspended);
  console.log("first values:", (await suspended.next()).value, (await suspended.next()).value);
  const finished = numbers("finished", 2);
  kept.push(finished);
  const all: number[] = [];
  for await (const x of finished) all.push(x);
  console.log("all of finished:", `[${all.join(", ")}]`);
  kept.push(numbers("never started", 3));
  console.log("main returns");
}

await asyncio.run(main());
console.log("after asyncio.run");

async function first(agen: AsyncGenerator<number>): Promise<number> {
  return (await agen.next()).value; // its first iteration happens on the running loop, which keeps it
}

const loop = asyncio.new_event_loop();
const agen = numbers("on a loop of its own", 5);
console.log("first value:", await loop.run_until_complete(first(agen)));
await loop.run_until_complete(loop.shutdown_asyncgens());
console.log("after shutdown_asyncgens");
loop.close();
console.log("closed");
const nothing = await asyncio.run(loop.shutdown_asyncgens());
console.log("a closed loop's shutdown_asyncgens():", nothing === undefined || nothing === null ? "None" : nothing);
