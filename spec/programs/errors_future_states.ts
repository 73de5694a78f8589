// A Future's misuse errors: result() too early, set_result() twice, exception() of a cancelled one.
import * as asyncio from "tulip";

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop();
  const fut = loop.create_future<number>();
  try {
    fut.result();
  } catch (e) {
    if (!(e instanceof asyncio.InvalidStateError)) throw e;
    console.log(e.name, e.message);
  }
  fut.set_result(1);
  try {
    fut.set_result(2);
  } catch (e) {
    if (!(e instanceof asyncio.InvalidStateError)) throw e;
    console.log(e.name, e.message);
  }
  console.log("result still", fut.result());
  const other = loop.create_future();
  other.cancel("no longer needed");
  try {
    other.exception();
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("exception() of a cancelled future raises", e.name, e.message);
  }
  console.log("cancel() again:", other.cancel() ? "True" : "False");
  try {
    loop.create_future().set_exception(new asyncio.StopIteration());
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    console.log(e.name, e.message);
  }
}

await asyncio.run(main());
