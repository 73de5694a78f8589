// kill() a long-running child: wait() returns minus the signal number; wait_for() around wait() times out first.
import * as asyncio from "tulip";
import { constants } from "node:os";

async function main(): Promise<void> {
  const proc = await asyncio.create_subprocess_exec("sleep", "30");
  try {
    await asyncio.wait_for(proc.wait(), 0.1);
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    console.log("still running after 0.1 s");
  }
  proc.kill();
  const code = await proc.wait();
  console.log("returncode", code, "is -SIGKILL:", code === -constants.signals.SIGKILL ? "True" : "False");
  try {
    proc.kill();
    console.log("kill() after the exit does nothing");
  } catch (e) {
    if (!(e instanceof asyncio.ProcessLookupError)) throw e;
    console.log("ProcessLookupError");
  }
}

await asyncio.run(main());
