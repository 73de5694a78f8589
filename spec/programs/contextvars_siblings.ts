// Each task runs in a copy of its creator's context: siblings' values never leak into each other or main.
import * as asyncio from "tulip";
import { ContextVar } from "tulip/contextvars";

const request_id = new ContextVar<string>("request_id", { default: "none" });

async function handle(name: string): Promise<void> {
  console.log(name, "starts with", request_id.get());
  request_id.set(name);
  await asyncio.sleep(0);
  console.log(name, "still sees", request_id.get());
}

async function main(): Promise<void> {
  request_id.set("main");
  await asyncio.gather(handle("r1"), handle("r2"));
  const t = asyncio.create_task(handle("r3"));
  await t;
  console.log("main sees", request_id.get());
}

await asyncio.run(main());
