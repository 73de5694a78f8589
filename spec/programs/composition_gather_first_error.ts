// Without return_exceptions the first error reaches the awaiter; the other children keep running.
import * as asyncio from "tulip";

async function slow(name: string): Promise<string> {
  await asyncio.sleep(0.3);
  console.log(name, "finished anyway");
  return name;
}

async function bad(): Promise<never> {
  await asyncio.sleep(0.01);
  throw new asyncio.RuntimeError("broken");
}

async function main(): Promise<void> {
  const a = asyncio.create_task(slow("a"));
  const b = asyncio.create_task(slow("b"));
  try {
    await asyncio.gather(a, bad(), b);
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    console.log("gather raised", e.name, e.message);
  }
  console.log("a is", a.done() ? "done" : "pending", "when the error arrives");
  await asyncio.sleep(0.5);
  console.log("a and b results:", a.result(), b.result());
}

await asyncio.run(main());
