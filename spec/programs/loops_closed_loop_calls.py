"""A loop closed from plain code: what it refuses, what close() dropped, and that a coroutine it
refused was never started (asyncio.run can still run it)."""
import asyncio


def announce():
    print("a dropped callback ran")


async def work():
    print("work started")
    await asyncio.sleep(0)
    return 42


def attempt(label, call):
    try:
        call()
        print(label, "ok")
    except RuntimeError as e:
        print(label, "->", type(e).__name__, e)


loop = asyncio.new_event_loop()
soon = loop.call_soon(announce)
later = loop.call_later(0.01, announce)
print("closed before close():", loop.is_closed())
loop.close()
print("closed after close():", loop.is_closed(), "running:", loop.is_running())
loop.close()
print("a second close() is allowed")
print("dropped handles cancelled:", soon.cancelled(), later.cancelled())

attempt("call_soon", lambda: loop.call_soon(announce))
attempt("call_later", lambda: loop.call_later(1, announce))
attempt("call_at", lambda: loop.call_at(loop.time() + 1, announce))
attempt("call_soon_threadsafe", lambda: loop.call_soon_threadsafe(announce))
coro = work()
attempt("create_task", lambda: loop.create_task(coro))
attempt("run_until_complete", lambda: loop.run_until_complete(coro))
attempt("run_forever", loop.run_forever)
loop.stop()
print("stop() is allowed")

print("the refused coroutine, run elsewhere:", asyncio.run(coro))
