// str() of exceptions as Python prints them: KeyError quotes its key, several args print as a tuple.
import * as asyncio from "tulip";

async function lookup(table: Map<string, number>, key: string): Promise<number> {
  await asyncio.sleep(0);
  if (!table.has(key)) throw new asyncio.KeyError(key);
  return table.get(key)!;
}

async function main(): Promise<void> {
  try {
    await lookup(new Map([["a", 1]]), "c");
  } catch (e) {
    if (!(e instanceof asyncio.KeyError)) throw e;
    console.log("KeyError:", e.message);
  }
  console.log("KeyError made by hand:", new asyncio.KeyError("c").message);
  console.log("two args:", new asyncio.ValueError("bad", 2).message);
  console.log("no args:", `'${new asyncio.RuntimeError().message}'`);
}

await asyncio.run(main());
