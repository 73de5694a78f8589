// except* takes a TaskGroup's ExceptionGroup apart by type.
import * as asyncio from "tulip";

async function bad_value(): Promise<never> {
  throw new asyncio.ValueError("not a number");
}

async function bad_type(): Promise<never> {
  throw new TypeError("not a string");
}

async function bad_key(): Promise<never> {
  await asyncio.sleep(0);
  throw new asyncio.KeyError("k");
}

const quoted = (eg: asyncio.BaseExceptionGroup) => "[" + (eg.exceptions as Error[]).map((e) => `'${e.message}'`).join(", ") + "]";

async function main(): Promise<void> {
  try {
    await asyncio.asyncWith(new asyncio.TaskGroup(), async (tg) => {
      tg.create_task(bad_value());
      tg.create_task(bad_type());
      tg.create_task(bad_value());
    });
  } catch (e) {
    if (!(e instanceof asyncio.BaseExceptionGroup)) throw e;
    const [values, rest] = e.split(asyncio.ValueError);
    if (values) console.log("ValueErrors:", quoted(values));
    const [types, rest2] = rest ? rest.split(TypeError) : [null, null];
    if (types) console.log("TypeErrors:", quoted(types));
    if (rest2) throw rest2;
  }
  try {
    try {
      await asyncio.asyncWith(new asyncio.TaskGroup(), async (tg) => {
        tg.create_task(bad_key());
      });
    } catch (e) {
      if (!(e instanceof asyncio.BaseExceptionGroup)) throw e;
      const [values, rest] = e.split(asyncio.ValueError);
      if (values) console.log("not reached");
      if (rest) throw rest;
    }
  } catch (e) {
    if (!(e instanceof asyncio.BaseExceptionGroup)) throw e;
    const [lookups, rest] = e.split(asyncio.LookupError);
    if (lookups) console.log("unmatched groups go on:", lookups.name, "[" + (lookups.exceptions as Error[]).map((x) => `'${x.name}'`).join(", ") + "]");
    if (rest) throw rest;
  }
}

await asyncio.run(main());
