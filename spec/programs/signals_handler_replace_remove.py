"""A second add_signal_handler for a signal replaces the first; the callback gets its
arguments and runs in the context current when it was added; remove_signal_handler says
whether there was a handler; CPython's errors; asyncio.run's loop.close() removes the rest."""
import asyncio
import contextvars
import os
import signal

request = contextvars.ContextVar("request", default="none")


async def main():
    loop = asyncio.get_running_loop()
    got = asyncio.Queue()

    def handler(name, *args):
        print(f"{name} handler: args={list(args)} request={request.get()}")
        got.put_nowait(name)

    request.set("first")
    loop.add_signal_handler(signal.SIGUSR1, handler, "first", 1)
    request.set("second")
    loop.add_signal_handler(signal.SIGUSR1, handler, "second", 2, 3)
    loop.add_signal_handler(signal.SIGUSR2, handler, "usr2")
    request.set("main")

    os.kill(os.getpid(), signal.SIGUSR1)
    print("got", await got.get())
    os.kill(os.getpid(), signal.SIGUSR2)
    print("got", await got.get())

    print("remove SIGUSR2:", loop.remove_signal_handler(signal.SIGUSR2))
    print("remove SIGUSR2 again:", loop.remove_signal_handler(signal.SIGUSR2))
    print("remove SIGHUP, never added:", loop.remove_signal_handler(signal.SIGHUP))

    for sig in [signal.SIGKILL, signal.SIGSTOP, 0]:
        try:
            loop.add_signal_handler(sig, handler)
        except (RuntimeError, ValueError) as e:
            print(f"{type(e).__name__}: {e}")

    os.kill(os.getpid(), signal.SIGUSR1)
    print("still handled, got", await got.get())
    print("SIGUSR1 has a handler:", signal.getsignal(signal.SIGUSR1) is not signal.SIG_DFL)


asyncio.run(main())
print("after asyncio.run, SIGUSR1 is back to SIG_DFL:", signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL)
