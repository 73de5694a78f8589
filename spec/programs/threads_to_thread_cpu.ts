// to_thread of a CPU-bound function: the loop keeps stepping the other tasks while it runs.
import * as asyncio from "tulip";
import { isMainModule, threadable } from "tulip/concurrent";

// Busy for `seconds` of CPU at least, then the sum of i*i % 7 below n.
export const crunch = threadable(import.meta.url, function crunch(n: number, seconds: number): number {
  const deadline = performance.now() / 1000 + seconds;
  for (;;) {
    let total = 0;
    for (let i = 0; i < n; i++) total += (i * i) % 7;
    if (performance.now() / 1000 >= deadline) return total;
  }
});

async function ticker(log: string[]): Promise<void> {
  for (;;) {
    log.push("tick");
    await asyncio.sleep(0.01);
  }
}

async function steps(name: string, n: number): Promise<string> {
  for (let i = 0; i < n; i++) {
    console.log(name, "step", i);
    await asyncio.sleep(0);
  }
  return name;
}

async function main(): Promise<void> {
  const log: string[] = [];
  const t = asyncio.create_task(ticker(log));
  const others = ["a", "b"].map((name) => asyncio.create_task(steps(name, 2)));
  const job = asyncio.create_task(asyncio.to_thread(crunch, 1000, 0.3));
  console.log("job started");
  console.log(`[${(await asyncio.gather(...others)).map((x) => `'${x}'`).join(", ")}]`);
  const before = log.length;
  const result = await job;
  const ticks = log.length - before;
  t.cancel();
  console.log("crunch result", result);
  console.log("the ticker stepped while the thread ran:", ticks >= 5 ? "True" : "False");
  const results = await asyncio.gather(asyncio.to_thread(crunch, 10, 0.05), asyncio.to_thread(crunch, 20, 0.05), steps("c", 1));
  console.log(`[${results.map((x) => (typeof x === "string" ? `'${x}'` : x)).join(", ")}]`);
}

if (isMainModule(import.meta)) await asyncio.run(main());
