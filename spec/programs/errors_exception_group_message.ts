// A TaskGroup's ExceptionGroup: its .message attribute is the bare message, as args[0] is.
import * as asyncio from "tulip";

async function fail(msg: string): Promise<never> {
  throw new asyncio.ValueError(msg);
}

async function main(): Promise<void> {
  try {
    await asyncio.asyncWith(new asyncio.TaskGroup(), async (tg) => {
      tg.create_task(fail("one"));
      tg.create_task(fail("two"));
    });
  } catch (eg) {
    if (!(eg instanceof asyncio.ExceptionGroup)) throw eg;
    console.log("message:", eg.message);
    console.log("args[0]:", eg.args[0]);
  }
}

await asyncio.run(main());
