// asyncio.run returns what main returns, even when that is a Future.
import * as asyncio from "tulip";

async function main(): Promise<asyncio.Future<number>> {
  const fut = asyncio.get_running_loop().create_future<number>();
  fut.set_result(5);
  return fut;
}

const result = (await asyncio.run(main())) as unknown as asyncio.Future<number>;
console.log("asyncio.run returned a", result.constructor.name, "holding", result.result());
