"""Futures and tasks of a loop that was closed: a future without callbacks still resolves; one with
callbacks is done, but scheduling them raises; a task close() left waiting can no longer be
cancelled, and one close() left unstarted never runs."""
import asyncio


def on_done(fut):
    print("a done callback ran")


async def waiter():
    await asyncio.sleep(10)


async def never_started():
    print("never_started ran")


def attempt(label, call):
    try:
        print(label, "->", call())
    except RuntimeError as e:
        print(label, "->", type(e).__name__, e)


loop = asyncio.new_event_loop()
loop.set_exception_handler(lambda loop, context: None)  # the tasks' collection is not the point
waiting = loop.create_task(waiter())
loop.run_until_complete(asyncio.sleep(0))
unstarted = loop.create_task(never_started())
watched = loop.create_future()
watched.add_done_callback(on_done)
loop.close()

plain = loop.create_future()
attempt("set_result, no callbacks", lambda: plain.set_result("value"))
print("result:", plain.result())
attempt("add_done_callback on a done future", lambda: plain.add_done_callback(on_done))
attempt("set_result, one callback", lambda: watched.set_result("late"))
print("done anyway:", watched.done(), watched.result())
failing = loop.create_future()
failing.add_done_callback(on_done)
attempt("set_exception, one callback", lambda: failing.set_exception(ValueError("boom")))
print("exception:", repr(failing.exception()))

print("waiting task done:", waiting.done())
attempt("cancel the waiting task", waiting.cancel)
print("cancelling:", waiting.cancelling(), "done:", waiting.done())
attempt("cancel the unstarted task", unstarted.cancel)
print("unstarted done:", unstarted.done())
print("all tasks of the closed loop:", sorted(t.get_coro().__name__ for t in asyncio.all_tasks(loop)))
