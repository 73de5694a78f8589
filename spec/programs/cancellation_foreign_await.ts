// cancel() of a task waiting on work outside asyncio (a foreign promise here, a thread in the
// Python twin) takes effect at once: the task does not wait for that work to finish, and is
// not resumed again when it does.
import * as asyncio from "tulip";

const slowWork = (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

const fetch = async (): Promise<void> => {
  try {
    await slowWork(0.3);
    console.log("fetch: the slow work finished");
  } catch (e) {
    if (e instanceof asyncio.CancelledError) console.log("fetch: cancelled at its await");
    throw e;
  } finally {
    console.log("fetch: cleanup");
  }
};

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop();
  const task = asyncio.create_task(fetch());
  await asyncio.sleep(0.01);
  const start = loop.time();
  task.cancel();
  try {
    await task;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("main: task cancelled:", task.cancelled() ? "True" : "False");
  }
  console.log("main: the cancel took effect before the slow work ended:", loop.time() - start < 0.2 ? "True" : "False");
  await asyncio.sleep(0.5);
  console.log("main: done, the task is still", task.cancelled() ? "cancelled" : "not cancelled");
}

await asyncio.run(main());
