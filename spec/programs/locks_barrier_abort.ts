// Barrier.abort(): every waiter gets BrokenBarrierError, and so does any later wait().
import * as asyncio from "tulip";

async function party(name: string, barrier: asyncio.Barrier): Promise<void> {
  try {
    await barrier.wait();
  } catch (e) {
    if (!(e instanceof asyncio.BrokenBarrierError)) throw e;
    console.log(name, "got", e.name);
  }
}

async function main(): Promise<void> {
  const barrier = new asyncio.Barrier(3);
  const tasks = ["a", "b"].map((n) => asyncio.create_task(party(n, barrier)));
  await asyncio.sleep(0);
  console.log("waiting:", barrier.n_waiting);
  await barrier.abort();
  await asyncio.gather(...tasks);
  console.log("broken:", barrier.broken ? "True" : "False");
  await party("late", barrier);
  await barrier.reset();
  console.log("after reset, broken:", barrier.broken ? "True" : "False");
}

await asyncio.run(main());
