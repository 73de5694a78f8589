// A custom exception handler gets a callback's exception; the loop goes on with the next callback.
import * as asyncio from "tulip";

function broken(): void {
  throw new asyncio.ValueError("bad callback");
}

function handler(loop: asyncio.AbstractEventLoop, context: Record<string, unknown>): void {
  const exc = context.exception as Error | undefined;
  console.log("handler got", exc ? exc.name : "NoneType", exc ? exc.message : "None", "with keys",
    "[" + Object.keys(context).sort().map((k) => `'${k}'`).join(", ") + "]");
}

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop();
  console.log("default handler in place:", loop.get_exception_handler() === null ? "True" : "False");
  loop.set_exception_handler(handler);
  loop.call_soon(broken);
  loop.call_soon(console.log, "the next callback runs");
  await asyncio.sleep(0.01);
  loop.call_exception_handler({ message: "something odd" });
  loop.set_exception_handler(null);
  console.log("main ends");
}

await asyncio.run(main());
