// run_in_executor: where its result lands among the loop's callbacks, FIFO in one worker, errors.
import * as asyncio from "tulip";
import { ThreadPoolExecutor, isMainModule, threadable } from "tulip/concurrent";

export const square = threadable(import.meta.url, function square(x: number): number {
  return x * x;
});

export const slow = threadable(import.meta.url, function slow<T>(x: T, seconds: number): T {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000); // time.sleep
  return x;
});

export const fail = threadable(import.meta.url, function fail(message: string): never {
  throw new asyncio.ValueError(message);
});

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop();
  const fut = loop.run_in_executor(null, square, 7);
  fut.add_done_callback((f) => console.log("done callback", f.result()));
  loop.call_soon(console.log, "call_soon 1");
  loop.call_soon(console.log, "call_soon 2");
  console.log("awaiting");
  console.log("result", await fut);

  const ex = new ThreadPoolExecutor(1);
  const futs = [0, 1, 2, 3].map((i) => loop.run_in_executor(ex, slow, i, 0.01));
  futs.forEach((f, i) => f.add_done_callback((f) => console.log("job", i, "done:", f.result())));
  console.log(`[${(await asyncio.gather(...futs)).join(", ")}]`);

  try {
    await loop.run_in_executor(ex, fail, "boom");
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    console.log("ValueError:", e.message);
  }

  // Cancelling the asyncio future: a job not yet started is cancelled; a running one runs on.
  const running = ex.submit(slow, "running", 0.1);
  const queued = ex.submit(slow, "queued", 0);
  const a = asyncio.wrap_future(running), b = asyncio.wrap_future(queued);
  while (!running.running()) await asyncio.sleep(0.001);
  const py = (x: boolean) => (x ? "True" : "False");
  console.log("cancel:", py(a.cancel()), py(b.cancel()));
  await asyncio.sleep(0);
  console.log("asyncio futures cancelled:", py(a.cancelled()), py(b.cancelled()));
  console.log("running job cancelled:", py(running.cancelled()), "queued job cancelled:", py(queued.cancelled()));
  console.log("the running job finished with", await asyncio.wrap_future(running));
  ex.shutdown();
}

if (isMainModule(import.meta)) await asyncio.run(main());
