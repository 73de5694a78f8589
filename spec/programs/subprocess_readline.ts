// Reading a child's stdout line by line while it runs, then waiting for its exit.
import * as asyncio from "tulip";

async function main(): Promise<void> {
  const proc = await asyncio.create_subprocess_exec(
    "sh", "-c", "for i in 1 2 3; do echo line $i; done", { stdout: asyncio.PIPE });
  let count = 0;
  while (true) {
    const line = await proc.stdout!.readline();
    if (line.length === 0) {
      break;
    }
    count += 1;
    console.log("read:", Buffer.from(line).toString().trimEnd());
  }
  console.log(count, "lines, exit status", await proc.wait());
}

await asyncio.run(main());
