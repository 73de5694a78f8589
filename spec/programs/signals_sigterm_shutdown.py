"""A server with a job queue sends itself SIGTERM mid-job and shuts down gracefully: the
handler only sets an Event; main then closes the server, drops the queued jobs, lets the job
in progress finish, cancels the idle worker and removes the handler."""
import asyncio
import os
import signal


async def handle_echo(reader, writer):
    data = await reader.readline()
    writer.write(data.upper())
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def worker(queue):
    while True:
        job = await queue.get()
        try:
            print(f"job {job}: start")
            if job == 3:
                print(f"job {job}: sending SIGTERM to my own process")
                os.kill(os.getpid(), signal.SIGTERM)
            await asyncio.sleep(0.05)
            print(f"job {job}: done")
        finally:
            queue.task_done()


async def main():
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def on_sigterm(reason):
        print(f"SIGTERM: {reason}")
        stop.set()

    loop.add_signal_handler(signal.SIGTERM, on_sigterm, "shutting down")
    server = await asyncio.start_server(handle_echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"hello\n")
    print("client got:", (await reader.readline()).decode().strip())
    writer.close()
    await writer.wait_closed()

    queue = asyncio.Queue()
    for job in range(1, 7):
        queue.put_nowait(job)
    task = asyncio.create_task(worker(queue))

    await stop.wait()
    print("stopping: closing the server")
    server.close()
    await server.wait_closed()
    left = []
    while not queue.empty():
        left.append(queue.get_nowait())
        queue.task_done()
    print("dropped jobs:", left)
    await queue.join()
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("worker cancelled while idle")
    print("handler removed:", loop.remove_signal_handler(signal.SIGTERM))
    return "clean exit"


print(asyncio.run(main()))
