// Queue<T>: what goes in is what comes out; the wrong item fails to compile.
import * as asyncio from "tulip";
import { expectType } from "./_expect.js";

interface Job {
  id: number;
  url: string;
}

export async function worker(q: asyncio.Queue<Job>): Promise<never> {
  for (;;) {
    const job = await q.get();
    expectType<Job>()(job);
    q.task_done();
  }
}

export async function main(): Promise<void> {
  const q = new asyncio.Queue<Job>({ maxsize: 10 });
  await q.put({ id: 1, url: "https://example.com" });
  q.put_nowait({ id: 2, url: "https://example.org" });
  expectType<Job>()(q.get_nowait());
  expectType<Job>()(await q.get());
  expectType<Job>()(await asyncio.wait_for(q.get(), 1));
  expectType<Job>()(await asyncio.create_task(q.get()));
  expectType<null>()(await q.join());
  const workers = [1, 2, 3].map(() => asyncio.create_task(worker(q)));
  expectType<asyncio.Task<never>[]>()(workers);
  for (const w of workers) w.cancel();
  await asyncio.gather(...workers, { return_exceptions: true });
  // @ts-expect-error a string is not a Job
  await q.put("job");
  // @ts-expect-error a Job needs its url
  q.put_nowait({ id: 3 });
  // @ts-expect-error get() gives a Job, not a string
  const s: string = await q.get();

  const pq = new asyncio.PriorityQueue<[number, string]>();
  pq.put_nowait([2, "later"]);
  expectType<[number, string]>()(await pq.get());
  // @ts-expect-error the priority comes first
  pq.put_nowait(["first", 1]);
  const byLength = new asyncio.PriorityQueue<string>({ compare: (a, b) => a.length - b.length });
  expectType<string>()(byLength.get_nowait());

  const lq = new asyncio.LifoQueue<number>();
  lq.put_nowait(1);
  expectType<number>()(await lq.get());
  // @ts-expect-error a LifoQueue<number> takes numbers
  lq.put_nowait("1");
}
