// Each asyncio.run makes a new loop and closes it; no loop runs in between.
import * as asyncio from "tulip";

const loops: asyncio.BaseEventLoop[] = [];

async function main(n: number): Promise<number> {
  const loop = asyncio.get_running_loop();
  loops.push(loop);
  await asyncio.sleep(0);
  return n * 10;
}

console.log("first run:", await asyncio.run(main(1)));
console.log("second run:", await asyncio.run(main(2)));
console.log("two different loops:", loops[0] !== loops[1] ? "True" : "False");
console.log("both closed:", loops[0].is_closed() && loops[1].is_closed() ? "True" : "False");
try {
  asyncio.get_running_loop();
} catch (e) {
  if (!(e instanceof asyncio.RuntimeError)) throw e;
  console.log("outside:", e.name, e.message);
}
