from dsl import *

AREA = "futures"
DESCRIPTION = "asyncio.Future: results, exceptions, cancellation, done callbacks, invalid states"
TF = "test_asyncio/test_futures.py::BaseFutureTests::"
S = []


def catch(expr, label="err"):
    """try: do(expr) except BaseException as e: trace(label, e)"""
    return try_([do(expr, "v"), trace("ok", V("v"))], except_([], trace(label, V("e")), as_="e"))


NEWF = do(loop("create_future"), "fut")

S.append(scenario(
    "futures/result-then-await", "awaiting a future that already has a result returns it without a loop iteration",
    ["futures"], [NEWF, do(m(V("fut"), "set_result", 42)), await_(V("fut"), "v"), trace("v", V("v"), m(V("fut"), "done"))],
    provenance=TF + "test_result"))

S.append(scenario(
    "futures/resolved-by-timer", "a task awaiting a pending future resumes on the iteration after set_result",
    ["futures", "timers"],
    [NEWF, do(loop("call_later", 0.5, fn("resolve"), V("fut"))), await_(V("fut"), "v"), trace("v", V("v"))],
    functions={"resolve": f(["f"], do(m(V("f"), "set_result", "late")))}))

S.append(scenario(
    "futures/exception", "set_exception: await raises it, exception() returns it, result() raises it",
    ["futures", "exceptions"],
    [NEWF, do(m(V("fut"), "set_exception", exc("ValueError", "bad"))),
     trace("exception", m(V("fut"), "exception")), catch(m(V("fut"), "result")),
     try_([await_(V("fut"))], except_("ValueError", trace("caught", V("e")), as_="e"))],
    provenance=TF + "test_exception"))

S.append(scenario(
    "futures/result-pending", "result() and exception() of a pending future raise InvalidStateError",
    ["futures", "exceptions"], [NEWF, catch(m(V("fut"), "result")), catch(m(V("fut"), "exception"))],
    provenance=TF + "test_result"))

S.append(scenario(
    "futures/set-twice", "set_result / set_exception / cancel on a done future",
    ["futures", "exceptions"],
    [NEWF, do(m(V("fut"), "set_result", 1)), catch(m(V("fut"), "set_result", 2)),
     catch(m(V("fut"), "set_exception", exc("ValueError"))), catch(m(V("fut"), "cancel")),
     trace("result", m(V("fut"), "result"))],
    provenance=TF + "test_future_cancel_message_setter"))

S.append(scenario(
    "futures/cancel", "cancel() makes the future cancelled; result() and exception() raise CancelledError",
    ["futures", "cancellation"],
    [NEWF, trace("cancel", m(V("fut"), "cancel")), trace("state", m(V("fut"), "cancelled"), m(V("fut"), "done")),
     catch(m(V("fut"), "result")), catch(m(V("fut"), "exception")), trace("again", m(V("fut"), "cancel"))],
    provenance=TF + "test_cancel"))

S.append(scenario(
    "futures/cancel-message", "cancel(msg): the message reaches result(), exception() and the awaiting task",
    ["futures", "cancellation"],
    [NEWF, do(m(V("fut"), "cancel", "stop it")), catch(m(V("fut"), "result")),
     try_([await_(V("fut"))], except_("CancelledError", trace("caught", V("e")), as_="e"))],
    provenance="test_asyncio/test_futures.py::BaseFutureTests::test_future_cancel_message_getter"))

S.append(scenario(
    "futures/done-callbacks-order", "done callbacks run in registration order, each on the loop, after the result is set",
    ["futures", "done-callbacks"],
    [NEWF, for_("i", rng(3), do(m(V("fut"), "add_done_callback", fn("cb")))),
     do(m(V("fut"), "set_result", "r")), trace("set"), sleep(0), trace("after")],
    functions={"cb": f(["f"], trace("result", m(V("f"), "result")))},
    provenance="test_asyncio/test_futures.py::BaseFutureDoneCallbackTests::test_callbacks_invoked_on_set_result"))

S.append(scenario(
    "futures/callback-after-done", "a callback added to a done future is scheduled with call_soon, not run at once",
    ["futures", "done-callbacks"],
    [NEWF, do(m(V("fut"), "set_result", 1)), do(m(V("fut"), "add_done_callback", fn("cb"))), trace("added"), sleep(0)],
    functions={"cb": f(["f"], PASS)},
    provenance="docs: Future.add_done_callback: if the Future is already done when this method is called, the callback is scheduled with loop.call_soon()"))

S.append(scenario(
    "futures/remove-done-callback", "remove_done_callback removes every registration and returns how many",
    ["futures", "done-callbacks"],
    [NEWF, do(m(V("fut"), "add_done_callback", fn("a"))), do(m(V("fut"), "add_done_callback", fn("b"))),
     do(m(V("fut"), "add_done_callback", fn("a"))),
     trace("removed", m(V("fut"), "remove_done_callback", fn("a")), m(V("fut"), "remove_done_callback", fn("a"))),
     do(m(V("fut"), "set_result", None)), sleep(0)],
    functions={"a": f(["f"], PASS), "b": f(["f"], PASS)},
    provenance="test_asyncio/test_futures.py::BaseFutureDoneCallbackTests::test_remove_done_callback"))

S.append(scenario(
    "futures/callbacks-on-cancel", "done callbacks also run when the future is cancelled",
    ["futures", "done-callbacks", "cancellation"],
    [NEWF, do(m(V("fut"), "add_done_callback", fn("cb"))), do(m(V("fut"), "cancel")), sleep(0)],
    functions={"cb": f(["f"], trace("cancelled", m(V("f"), "cancelled")))}))

S.append(scenario(
    "futures/callback-raises", "a done callback that raises goes to the loop's exception handler; later callbacks still run",
    ["futures", "done-callbacks", "loop-exception-handler"],
    [NEWF, do(m(V("fut"), "add_done_callback", fn("bad"))), do(m(V("fut"), "add_done_callback", fn("good"))),
     do(m(V("fut"), "set_result", 0)), sleep(0)],
    functions={"bad": f(["f"], raise_(exc("RuntimeError", "in callback"))), "good": f(["f"], PASS)}))

S.append(scenario(
    "futures/many-awaiters", "tasks awaiting one future wake in the order they started waiting",
    ["futures", "tasks"],
    [NEWF, task(coro("waiter", 1, label="w1")), task(coro("waiter", 2, label="w2")), task(coro("waiter", 3, label="w3")),
     sleep(0), do(m(V("fut"), "set_result", "go")), sleep(0), sleep(0)],
    coroutines={"waiter": co(["n"], await_(V("fut"), "v"), trace("woke", V("n"), V("v")))}))

S.append(scenario(
    "futures/stopiteration-rejected", "set_exception(StopIteration) is refused",
    ["futures", "exceptions"], [NEWF, catch(m(V("fut"), "set_exception", exc("TypeError", "placeholder")))],
    provenance=TF + "test_stop_iteration_exception"))
S.pop()  # StopIteration cannot be built by scenarios (not in the closed exception list)

S.append(scenario(
    "futures/exception-of-cancelled-awaiter", "a task awaiting a future that gets cancelled is itself cancelled",
    ["futures", "cancellation", "tasks"],
    [NEWF, task(coro("waiter"), "w"), sleep(0), do(m(V("fut"), "cancel", "gone")), sleep(0),
     trace("task", m(V("w"), "cancelled")), catch(m(V("w"), "result"))],
    coroutines={"waiter": co([], await_(V("fut")))}))

S.append(scenario(
    "futures/exception-to-awaiters", "every awaiter of a failed future gets the same exception",
    ["futures", "exceptions", "tasks"],
    [NEWF, task(coro("waiter", label="a")), task(coro("waiter", label="b")), sleep(0),
     do(m(V("fut"), "set_exception", exc("ValueError", "shared"))), sleep(0), sleep(0)],
    coroutines={"waiter": co([], try_([await_(V("fut"))], except_("ValueError", trace("got", V("e")), as_="e")))}))

S.append(scenario(
    "futures/callback-sees-state", "a done callback sees done(), and the result set before it was scheduled",
    ["futures", "done-callbacks"],
    [NEWF, do(m(V("fut"), "add_done_callback", fn("cb"))), do(m(V("fut"), "set_exception", exc("ValueError", "v"))),
     sleep(0)],
    functions={"cb": f(["f"], trace("state", m(V("f"), "done"), m(V("f"), "cancelled"), m(V("f"), "exception")))}))

S.append(scenario(
    "futures/cancel-then-set-result", "set_result on a cancelled future raises InvalidStateError",
    ["futures", "cancellation", "exceptions"],
    [NEWF, do(m(V("fut"), "cancel")), catch(m(V("fut"), "set_result", 1))]))

S.append(scenario(
    "futures/asyncio-future", "asyncio.Future() in a running loop belongs to it",
    ["futures"],
    [do(aio("Future"), "fut"), do(loop("call_soon", fn("resolve"), V("fut"))), await_(V("fut"), "v"), trace("v", V("v")),
     trace("isfuture", aio("isfuture", V("fut")), aio("isfuture", 1))],
    functions={"resolve": f(["f"], do(m(V("f"), "set_result", tup(1, "x"))))}))

S.append(scenario(
    "futures/task-set-result-refused", "a Task refuses set_result and set_exception",
    ["futures", "tasks", "exceptions"],
    [task(coro("w"), "t"), catch(m(V("t"), "set_result", 1)), catch(m(V("t"), "set_exception", exc("ValueError"))),
     await_(V("t"))],
    coroutines={"w": co([], ret(1))},
    provenance="test_asyncio/test_tasks.py::BaseTaskTests::test_task_set_methods"))
SCENARIOS = S
