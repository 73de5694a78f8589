// An exception that leaves main ends asyncio.run, and the program, with it.
import * as asyncio from "tulip";

async function helper(): Promise<never> {
  await asyncio.sleep(0);
  throw new asyncio.ValueError("configuration is missing");
}

async function main(): Promise<void> {
  console.log("main starts");
  await helper();
  console.log("not reached");
}

await asyncio.run(main());
console.log("not reached either");
