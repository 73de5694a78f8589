// Executor shutdown with pending work: cancel_futures, wait=False, and asyncio.run waiting for the default executor.
import * as asyncio from "tulip";
import { ThreadPoolExecutor, isMainModule, threadable } from "tulip/concurrent";

export const job = threadable(import.meta.url, function job(i: number, seconds: number): number {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000); // time.sleep
  console.log("job", i, "finished");
  return i * 10;
});

const py = (x: boolean) => (x ? "True" : "False");

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop();
  const ex = new ThreadPoolExecutor(1);
  const futs = [0, 1, 2, 3].map((i) => ex.submit(job, i, 0.05));
  while (!futs[0].running()) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  ex.shutdown({ wait: true, cancel_futures: true });
  console.log("after shutdown(cancel_futures=True):", `[${futs.map((f) => `(${py(f.done())}, ${py(f.cancelled())})`).join(", ")}]`);
  console.log("first result", futs[0].result());
  try {
    ex.submit(job, 9, 0);
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    console.log("RuntimeError:", e.message);
  }

  const ex2 = new ThreadPoolExecutor(1);
  const pending = [4, 5].map((i) => asyncio.wrap_future(ex2.submit(job, i, 0.02)));
  ex2.shutdown({ wait: false });
  console.log("shutdown(wait=False) returned");
  console.log("still completed:", `[${(await asyncio.gather(...pending)).join(", ")}]`);

  loop.set_default_executor(new ThreadPoolExecutor(1));
  for (const i of [6, 7]) loop.run_in_executor(null, job, i, 0.05);
  console.log("main returns with two jobs in the default executor");
}

if (isMainModule(import.meta)) {
  await asyncio.run(main());
  console.log("after asyncio.run");
}
