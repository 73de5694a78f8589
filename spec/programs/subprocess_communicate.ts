// create_subprocess_exec with pipes: communicate() feeds stdin and collects stdout and stderr; returncode is the exit status.
import * as asyncio from "tulip";

const PIPE = asyncio.PIPE;

async function main(): Promise<void> {
  const proc = await asyncio.create_subprocess_exec(
    "sh", "-c", "read line; echo out $line; echo err >&2; exit 3", { stdin: PIPE, stdout: PIPE, stderr: PIPE });
  console.log("returncode while running:", proc.returncode === null ? "None" : proc.returncode);
  const [out, err] = await proc.communicate(Buffer.from("ok\n"));
  console.log("stdout:", Buffer.from(out!).toString().trim(), "stderr:", Buffer.from(err!).toString().trim());
  console.log("returncode:", proc.returncode);
  console.log("wait() again:", await proc.wait());
}

await asyncio.run(main());
