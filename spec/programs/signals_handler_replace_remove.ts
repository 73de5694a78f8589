// A second add_signal_handler for a signal replaces the first; the callback gets its
// arguments and runs in the context current when it was added; remove_signal_handler says
// whether there was a handler; CPython's errors; asyncio.run's loop.close() removes the rest.
import * as asyncio from "tulip";
import { ContextVar } from "tulip/contextvars";
import * as signal from "tulip/signal";

const request = new ContextVar<string>("request", { default: "none" });

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop();
  const got = new asyncio.Queue<string>();

  function handler(name: string, ...args: number[]): void {
    console.log(`${name} handler: args=[${args.join(", ")}] request=${request.get()}`);
    got.put_nowait(name);
  }

  request.set("first");
  loop.add_signal_handler(signal.SIGUSR1, handler, "first", 1);
  request.set("second");
  loop.add_signal_handler(signal.SIGUSR1, handler, "second", 2, 3);
  loop.add_signal_handler(signal.SIGUSR2, handler, "usr2");
  request.set("main");

  process.kill(process.pid, "SIGUSR1");
  console.log("got", await got.get());
  process.kill(process.pid, "SIGUSR2");
  console.log("got", await got.get());

  const py = (b: boolean) => (b ? "True" : "False");
  console.log("remove SIGUSR2:", py(loop.remove_signal_handler(signal.SIGUSR2)));
  console.log("remove SIGUSR2 again:", py(loop.remove_signal_handler(signal.SIGUSR2)));
  console.log("remove SIGHUP, never added:", py(loop.remove_signal_handler(signal.SIGHUP)));

  for (const sig of [signal.SIGKILL, signal.SIGSTOP, 0]) {
    try {
      loop.add_signal_handler(sig, handler);
    } catch (e) {
      if (!(e instanceof asyncio.RuntimeError || e instanceof asyncio.ValueError)) throw e;
      console.log(`${e.name}: ${e.message}`);
    }
  }

  process.kill(process.pid, "SIGUSR1");
  console.log("still handled, got", await got.get());
  console.log("SIGUSR1 has a handler:", py(signal.getsignal(signal.SIGUSR1) !== signal.SIG_DFL));
}

await asyncio.run(main());
console.log("after asyncio.run, SIGUSR1 is back to SIG_DFL:", signal.getsignal(signal.SIGUSR1) === signal.SIG_DFL ? "True" : "False");
