// Done callbacks run in the order they were added, before the awaiting task resumes.
import * as asyncio from "tulip";

function report(label: string): (fut: asyncio.Future<number>) => void {
  return function callback(fut) {
    console.log(label, "callback saw", fut.result());
  };
}

async function compute(x: number): Promise<number> {
  await asyncio.sleep(0);
  return x * 2;
}

async function main(): Promise<void> {
  const task = asyncio.create_task(compute(21));
  task.add_done_callback(report("first"));
  const second = report("second");
  task.add_done_callback(second);
  task.add_done_callback(report("third"));
  console.log("removed", task.remove_done_callback(second), "callback");
  const result = await task;
  console.log("main got", result);
  task.add_done_callback(report("late"));
  console.log("added a callback to a done task");
  await asyncio.sleep(0);
  console.log("after one more iteration");
}

await asyncio.run(main());
