// The older loop API: new_event_loop, run_until_complete, and close.
import * as asyncio from "tulip";

async function add(a: number, b: number): Promise<number> {
  await asyncio.sleep(0);
  return a + b;
}

const loop = asyncio.new_event_loop();
asyncio.set_event_loop(loop);
console.log("sum", await loop.run_until_complete(add(2, 3)));
const task = loop.create_task(add(4, 5));
console.log("task result", await loop.run_until_complete(task));
console.log("running after run_until_complete:", loop.is_running() ? "True" : "False");
loop.close();
console.log("closed:", loop.is_closed() ? "True" : "False");
try {
  await loop.run_until_complete(add(1, 1));
} catch (e) {
  if (!(e instanceof asyncio.RuntimeError)) throw e;
  console.log(e.name, e.message);
}
asyncio.set_event_loop(null);
