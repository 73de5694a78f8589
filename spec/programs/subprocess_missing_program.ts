// A program that does not exist: create_subprocess_exec raises FileNotFoundError.
import * as asyncio from "tulip";

async function main(): Promise<void> {
  try {
    await asyncio.create_subprocess_exec("tulip-no-such-program-xyz");
  } catch (e) {
    if (!(e instanceof asyncio.FileNotFoundError)) throw e;
    console.log(e.name, "errno", e.errno);
    console.log(e.message);
  }
  const proc = await asyncio.create_subprocess_shell("tulip-no-such-program-xyz 2>/dev/null");
  console.log("through the shell: exit status", await proc.wait());
}

await asyncio.run(main());
