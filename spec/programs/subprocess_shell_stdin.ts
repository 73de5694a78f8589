// create_subprocess_shell: communicate(input) feeds stdin and closes it.
import * as asyncio from "tulip";

const PIPE = asyncio.PIPE;

async function main(): Promise<void> {
  const proc = await asyncio.create_subprocess_shell("tr a-z A-Z; echo done", { stdin: PIPE, stdout: PIPE });
  const [out, err] = await proc.communicate(Buffer.from("hello from the parent\n"));
  process.stdout.write(Buffer.from(out!).toString());
  console.log("stderr was not piped:", err === null ? "None" : err);
  console.log("exit status", proc.returncode);
}

await asyncio.run(main());
