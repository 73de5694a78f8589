// Callback style, from asyncio's 2014 introduction: print "Hello World" every 2 seconds.
// TULIP_EXAMPLE_INTERVAL (seconds) and TULIP_EXAMPLE_COUNT (stop after that many) make it
// short for tests; by default it runs forever, as the original does.
import * as asyncio from "tulip";

const INTERVAL = Number(process.env.TULIP_EXAMPLE_INTERVAL ?? "2");
const COUNT = Number(process.env.TULIP_EXAMPLE_COUNT ?? "0");
let printed = 0;

function print_and_repeat(loop: asyncio.BaseEventLoop): void {
  console.log("Hello World");
  printed += 1;
  if (COUNT && printed >= COUNT) {
    loop.stop();
    return;
  }
  loop.call_later(INTERVAL, print_and_repeat, loop);
}

const loop = asyncio.new_event_loop();
asyncio.set_event_loop(loop);
loop.call_soon(print_and_repeat, loop);
await loop.run_forever();
loop.close();
