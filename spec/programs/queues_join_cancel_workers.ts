// The documentation's pattern: workers drain a queue, main joins it, then cancels the idle workers.
import * as asyncio from "tulip";

async function worker(name: string, queue: asyncio.Queue<number>, log: [string, number][]): Promise<never> {
  while (true) {
    const item = await queue.get();
    await asyncio.sleep(0.001 * item);
    log.push([name, item]);
    queue.task_done();
  }
}

async function main(): Promise<void> {
  const queue = new asyncio.Queue<number>();
  for (const item of [3, 1, 2, 5, 4]) {
    queue.put_nowait(item);
  }
  const log: [string, number][] = [];
  const workers = [0, 1].map((i) => asyncio.create_task(worker(`worker-${i}`, queue, log)));
  await queue.join();
  console.log("queue joined after", log.length, "items, empty:", queue.empty() ? "True" : "False");
  for (const w of workers) {
    w.cancel();
  }
  const results = await asyncio.gather(...workers, { return_exceptions: true });
  console.log("workers ended with", "[" + results.map((r) => `'${(r as Error).name}'`).join(", ") + "]");
  console.log("items done:", "[" + log.map(([, item]) => item).sort().join(", ") + "]");
}

await asyncio.run(main());
