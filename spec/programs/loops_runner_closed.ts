// A Runner's life: close() before first use does nothing; after its loop is made, close() closes
// that loop for good, a second close() is allowed, and run()/get_loop() say 'Runner is closed'.
import * as asyncio from "tulip";

const py = (b: boolean): string => (b ? "True" : "False");

async function answer(n: number): Promise<number> {
  await asyncio.sleep(0);
  return n;
}

function message(e: unknown): string {
  if (!(e instanceof asyncio.RuntimeError)) throw e;
  return e.message;
}

const runner = new asyncio.Runner();
await runner.close();
console.log("run after an early close():", await runner.run(answer(1)));
const loop = runner.get_loop();
console.log("run again, same loop:", await runner.run(answer(2)), py(runner.get_loop() === loop));
await runner.close();
console.log("loop closed:", py(loop.is_closed()));
await runner.close();
console.log("a second close() is allowed");
const coro = answer(3);
try {
  await runner.run(coro);
} catch (e) {
  console.log("run:", message(e));
}
try {
  runner.get_loop();
} catch (e) {
  console.log("get_loop:", message(e));
}
try {
  await loop.run_until_complete(coro);
} catch (e) {
  console.log("its loop:", message(e));
}
console.log("a new runner:", await asyncio.run(coro));
