// raise ... from ...: the cause travels with the exception through a task to its awaiter.
import * as asyncio from "tulip";

async function load(): Promise<never> {
  try {
    await asyncio.sleep(0);
    throw new asyncio.KeyError("port");
  } catch (e) {
    if (!(e instanceof asyncio.KeyError)) throw e;
    const err = new asyncio.RuntimeError("cannot load the configuration");
    err.__cause__ = e;
    throw err;
  }
}

async function main(): Promise<void> {
  try {
    await asyncio.create_task(load());
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    console.log(e.name, e.message);
    const cause = e.__cause__ as Error;
    console.log("caused by", cause.name, cause.message);
  }
}

await asyncio.run(main());
