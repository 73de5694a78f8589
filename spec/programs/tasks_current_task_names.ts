// current_task() inside a named task and inside gather's children is that task, not main's.
import * as asyncio from "tulip";

async function mid(): Promise<asyncio.Task<unknown> | null> {
  const task = asyncio.current_task();
  console.log("mid runs in", task!.get_name());
  await asyncio.sleep(0);
  console.log("mid after a sleep runs in", asyncio.current_task()!.get_name());
  return task;
}

async function child(label: string, main_task: asyncio.Task<unknown> | null): Promise<asyncio.Task<unknown> | null> {
  const before = asyncio.current_task();
  await asyncio.sleep(0);
  const after = asyncio.current_task();
  console.log(label, before === main_task ? "in main's task" : "in its own task",
    after === before ? "and the same task after a sleep" : "and another task after a sleep");
  return before;
}

async function main(): Promise<void> {
  const main_task = asyncio.current_task();
  const t = asyncio.create_task(mid(), { name: "T1" });
  const inner = await t;
  console.log("mid's task is the one create_task returned:", inner === t ? "yes" : "no");
  const [a, b] = await asyncio.gather(child("g1", main_task), child("g2", main_task));
  console.log("g1 and g2 ran in", a !== b ? "different tasks" : "one task");
  console.log("main still runs in main's task:", asyncio.current_task() === main_task ? "yes" : "no");
}

await asyncio.run(main());
