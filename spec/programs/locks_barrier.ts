// Barrier(3): the first two wait for the third; wait() returns each party's arrival index.
import * as asyncio from "tulip";

async function party(name: string, barrier: asyncio.Barrier, delay: number): Promise<void> {
  await asyncio.sleep(delay);
  console.log(`${name} arrives;`, barrier.n_waiting, "already waiting");
  const index = await barrier.wait();
  console.log(name, "passes with index", index);
}

async function main(): Promise<void> {
  const barrier = new asyncio.Barrier(3);
  await asyncio.gather(party("a", barrier, 0), party("b", barrier, 0.01), party("c", barrier, 0.02));
  console.log("parties", barrier.parties, "waiting", barrier.n_waiting, "broken", barrier.broken ? "True" : "False");
}

await asyncio.run(main());
