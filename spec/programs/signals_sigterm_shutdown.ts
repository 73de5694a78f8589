// A server with a job queue sends itself SIGTERM mid-job and shuts down gracefully: the
// handler only sets an Event; main then closes the server, drops the queued jobs, lets the job
// in progress finish, cancels the idle worker and removes the handler.
import * as asyncio from "tulip";
import * as signal from "tulip/signal";

async function handle_echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): Promise<void> {
  const data = await reader.readline();
  writer.write(Buffer.from(Buffer.from(data).toString().toUpperCase()));
  await writer.drain();
  writer.close();
  await writer.wait_closed();
}

async function worker(queue: asyncio.Queue<number>): Promise<void> {
  while (true) {
    const job = await queue.get();
    try {
      console.log(`job ${job}: start`);
      if (job === 3) {
        console.log(`job ${job}: sending SIGTERM to my own process`);
        process.kill(process.pid, "SIGTERM");
      }
      await asyncio.sleep(0.05);
      console.log(`job ${job}: done`);
    } finally {
      queue.task_done();
    }
  }
}

async function main(): Promise<string> {
  const loop = asyncio.get_running_loop();
  const stop = new asyncio.Event();

  function on_sigterm(reason: string): void {
    console.log(`SIGTERM: ${reason}`);
    stop.set();
  }

  loop.add_signal_handler(signal.SIGTERM, on_sigterm, "shutting down");
  const server = await asyncio.start_server(handle_echo, "127.0.0.1", 0);
  const port = (server.sockets[0].getsockname() as [string, number])[1];
  const [reader, writer] = await asyncio.open_connection("127.0.0.1", port);
  writer.write(Buffer.from("hello\n"));
  console.log("client got:", Buffer.from(await reader.readline()).toString().trim());
  writer.close();
  await writer.wait_closed();

  const queue = new asyncio.Queue<number>();
  for (let job = 1; job < 7; job++) queue.put_nowait(job);
  const task = asyncio.create_task(worker(queue));

  await stop.wait();
  console.log("stopping: closing the server");
  server.close();
  await server.wait_closed();
  const left: number[] = [];
  while (!queue.empty()) {
    left.push(queue.get_nowait());
    queue.task_done();
  }
  console.log("dropped jobs:", `[${left.join(", ")}]`);
  await queue.join();
  task.cancel();
  try {
    await task;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("worker cancelled while idle");
  }
  console.log("handler removed:", loop.remove_signal_handler(signal.SIGTERM) ? "True" : "False");
  return "clean exit";
}

console.log(await asyncio.run(main()));
