// Semaphore(2) lets two jobs in at a time; the others wait their turn in order.
import * as asyncio from "tulip";

async function job(name: string, sem: asyncio.Semaphore, running: string[]): Promise<void> {
  await asyncio.asyncWith(sem, async () => {
    running.push(name);
    console.log(name, "starts with", running.length, "running");
    await asyncio.sleep(0.01);
    running.splice(running.indexOf(name), 1);
    console.log(name, "ends");
  });
}

async function main(): Promise<void> {
  const sem = new asyncio.Semaphore(2);
  const running: string[] = [];
  await asyncio.gather(...[0, 1, 2, 3, 4].map((i) => job(`j${i}`, sem, running)));
  console.log("semaphore locked at the end:", sem.locked() ? "True" : "False");
}

await asyncio.run(main());
