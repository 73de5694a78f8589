// Coroutines and tasks, from asyncio's 2014 introduction, in its own `yield from` style:
// `asyncio.coroutine(function* …)` with `yield*` is tulip's spelling of
// `@asyncio.coroutine def …: yield from …` (an `async function` with `await` works too).
// TULIP_EXAMPLE_INTERVAL and TULIP_EXAMPLE_COUNT (greetings before it returns) shorten it for tests.
import * as asyncio from "tulip";

const INTERVAL = Number(process.env.TULIP_EXAMPLE_INTERVAL ?? "1");
const COUNT = Number(process.env.TULIP_EXAMPLE_COUNT ?? "0");

const greet_every_two_seconds = asyncio.coroutine(function* greet_every_two_seconds() {
  let n = 0;
  while (true) {
    console.log("Hello World");
    yield* asyncio.sleep(INTERVAL);
    console.log("How are you?");
    yield* asyncio.sleep(INTERVAL);
    n += 1;
    if (COUNT && n >= COUNT) return;
  }
});

const loop = asyncio.new_event_loop();
asyncio.set_event_loop(loop);
await loop.run_until_complete(greet_every_two_seconds());
loop.close();
