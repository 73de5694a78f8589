// Nested timeouts: the inner one fires first and only it reports expired; the outer goes on.
import * as asyncio from "tulip";

const py = (b: boolean) => (b ? "True" : "False");

async function main(): Promise<void> {
  let outer = asyncio.timeout(1);
  let inner = asyncio.timeout(0.02);
  await asyncio.asyncWith(outer, async () => {
    try {
      await asyncio.asyncWith(inner, async () => {
        await asyncio.sleep(1);
      });
    } catch (e) {
      if (!(e instanceof asyncio.TimeoutError)) throw e;
      console.log("inner timed out");
    }
    console.log("inner expired:", py(inner.expired()), "outer expired:", py(outer.expired()));
    await asyncio.sleep(0.01);
    console.log("still inside the outer block");
  });
  outer = asyncio.timeout(0.02);
  inner = asyncio.timeout(1);
  try {
    await asyncio.asyncWith(outer, async () => {
      await asyncio.asyncWith(inner, async () => {
        await asyncio.sleep(1);
      });
    });
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    console.log("outer timed out through the inner block");
  }
  console.log("inner expired:", py(inner.expired()), "outer expired:", py(outer.expired()));
}

await asyncio.run(main());
