from dsl import *

AREA = "loops"
DESCRIPTION = ("event loops made and closed inside a scenario: what a closed loop refuses, what closing drops, "
               "closing or running a loop that runs, and asyncio.run / Runner.run called from a running loop")
TB = "test_asyncio/test_base_events.py::BaseEventLoopTests::"
S = []

# The loop-running calls (run_until_complete, run_forever, asyncio.run, Runner.run) are written
# as `await` statements: tulip returns Promises from them (the porting conventions: `await
# loop.run_until_complete(…)`), and inside main they can only fail, which CPython does before
# there is anything to await (spec/README.md, "Loops made inside a scenario").


def catch(expr, label):
    """try: v = expr; trace(label, "ok", v) except BaseException as e: trace(label, e)"""
    return try_([do(expr, "v"), trace(label, "ok", V("v"))], except_([], trace(label, V("e")), as_="e"))


def catch_await(expr, label):
    return try_([await_(expr, "v"), trace(label, "ok", V("v"))], except_([], trace(label, V("e")), as_="e"))


NEW = do(aio("new_event_loop"), "other")
CLOSE = do(m(V("other"), "close"))
STATE = trace("state", m(V("other"), "is_closed"), m(V("other"), "is_running"))

S.append(scenario(
    "loops/closed-refuses-callbacks", "a closed loop refuses call_soon, call_later, call_at and call_soon_threadsafe "
    "with RuntimeError('Event loop is closed'), before it looks at the callback; call_later(None) is a TypeError first",
    ["loops", "callbacks", "timers"],
    [NEW, STATE, CLOSE, STATE,
     catch(m(V("other"), "call_soon", fn("cb")), "call_soon"),
     catch(m(V("other"), "call_soon", 3), "call_soon not callable"),
     catch(m(V("other"), "call_later", 1, fn("cb")), "call_later"),
     catch(m(V("other"), "call_later", None, fn("cb")), "call_later None"),
     catch(m(V("other"), "call_at", 1, fn("cb")), "call_at"),
     catch(m(V("other"), "call_soon_threadsafe", fn("cb")), "call_soon_threadsafe"),
     sleep(0), trace("cb never ran")],
    functions={"cb": NOOP0},
    provenance="test_asyncio/test_events.py::EventLoopTestsMixin::test_close"))

S.append(scenario(
    "loops/close-twice", "close() of a closed loop does nothing; is_closed() stays true, stop() is allowed",
    ["loops"],
    [NEW, CLOSE, trace("again", m(V("other"), "close")), trace("stop", m(V("other"), "stop")), STATE],
    provenance=TB + "test_close"))

S.append(scenario(
    "loops/closed-refuses-run", "run_until_complete and run_forever of a closed loop raise 'Event loop is closed', "
    "which CPython checks before whether another loop runs; the future passed is left as it was",
    ["loops", "runner"],
    [NEW, do(m(V("other"), "create_future"), "fut"), CLOSE,
     catch_await(m(V("other"), "run_until_complete", V("fut")), "run_until_complete"),
     catch_await(m(V("other"), "run_forever"), "run_forever"),
     trace("fut", m(V("fut"), "done"))],
    provenance=TB + "test_close"))

S.append(scenario(
    "loops/closed-leaves-coroutine", "a coroutine given to a closed loop's run_until_complete or create_task is neither "
    "started nor closed: main can still await it (ensure_future with the closed loop closes it)",
    ["loops", "tasks"],
    [NEW, CLOSE, do(coro("work", 1, label="first"), "c1"),
     catch_await(m(V("other"), "run_until_complete", V("c1")), "run_until_complete"),
     await_(V("c1"), "r1"), trace("awaited", V("r1")),
     do(coro("work", 2, label="second"), "c2"),
     catch(m(V("other"), "create_task", V("c2")), "create_task"),
     await_(V("c2"), "r2"), trace("awaited", V("r2")),
     do(coro("work", 3, label="third"), "c3"),
     catch(aio("ensure_future", V("c3"), loop=V("other")), "ensure_future"),
     catch_await(V("c3"), "await closed coroutine")],
    coroutines={"work": co(["n"], sleep(0), ret(op("mul", V("n"), 10)))},
    provenance="test_asyncio/test_base_events.py::BaseEventLoopTests::test_create_task_error_closes_coro"))

S.append(scenario(
    "loops/future-of-closed-loop", "a closed loop still makes futures; one with no callbacks resolves, one with "
    "callbacks is done but set_result/set_exception/cancel raise 'Event loop is closed' (its callbacks are dropped), "
    "and so does add_done_callback on a done one; main can await a done one",
    ["loops", "futures", "done-callbacks"],
    [NEW, do(m(V("other"), "create_future"), "early"), do(m(V("early"), "add_done_callback", fn("cb"))), CLOSE,
     do(m(V("other"), "create_future"), "plain"),
     catch(m(V("plain"), "set_result", 1), "set_result"), trace("plain", m(V("plain"), "result")),
     catch(m(V("plain"), "add_done_callback", fn("cb")), "add_done_callback on done"),
     catch(m(V("early"), "set_result", 2), "set_result with callback"),
     trace("early", m(V("early"), "done"), m(V("early"), "result"), m(V("early"), "remove_done_callback", fn("cb"))),
     do(m(V("other"), "create_future"), "failing"), do(m(V("failing"), "add_done_callback", fn("cb"))),
     catch(m(V("failing"), "set_exception", exc("ValueError", "boom")), "set_exception with callback"),
     trace("failing", m(V("failing"), "done"), m(V("failing"), "exception")),
     do(m(V("other"), "create_future"), "dropped"), do(m(V("dropped"), "add_done_callback", fn("cb"))),
     catch(m(V("dropped"), "cancel"), "cancel with callback"), trace("dropped", m(V("dropped"), "cancelled")),
     await_(V("plain"), "v"), trace("awaited", V("v")), sleep(0), trace("cb never ran")],
    functions={"cb": NOOP},
    provenance="test_asyncio/test_futures.py::BaseFutureTests::test_result"))

S.append(scenario(
    "loops/close-drops-pending", "close() drops the loop's ready callbacks, timers and the first step of its tasks: "
    "none ever runs, their handles are not cancelled, the task stays pending and can still be cancelled (no step "
    "is scheduled); shutdown_asyncgens and shutdown_default_executor of the closed loop return None",
    ["loops", "callbacks", "timers", "tasks"],
    [NEW, do(m(V("other"), "call_soon", fn("cb")), "soon"), do(m(V("other"), "call_later", 0.5, fn("cb")), "later"),
     do(m(V("other"), "create_task", aio("sleep", 1), name="dropped"), "t"),
     CLOSE,
     trace("handles", m(V("soon"), "cancelled"), m(V("later"), "cancelled")),
     trace("task", m(V("t"), "done"), aio("all_tasks", V("other"))),
     trace("cancel", m(V("t"), "cancel"), m(V("t"), "cancelling"), m(V("t"), "done")),
     await_(m(V("other"), "shutdown_asyncgens"), "a"), await_(m(V("other"), "shutdown_default_executor"), "b"),
     trace("shutdown", V("a"), V("b")),
     sleep(1), trace("nothing ran")],
    functions={"cb": NOOP0},
    provenance="docs: loop.close(): The loop must not be running. Pending callbacks will be lost."))

S.append(scenario(
    "loops/close-running", "closing the running loop raises 'Cannot close a running event loop' and changes "
    "nothing: the loop goes on",
    ["loops"],
    [catch(loop("close"), "close"), trace("state", loop("is_closed"), loop("is_running")),
     do(loop("call_soon", fn("cb"))), sleep(0), trace("still running")],
    functions={"cb": NOOP0},
    provenance="test_asyncio/test_events.py::EventLoopTestsMixin::test_close_running_event_loop"))

S.append(scenario(
    "loops/run-while-running", "run_until_complete and run_forever of the running loop raise 'This event loop is "
    "already running'; of another, open loop 'Cannot run the event loop while another loop is running'",
    ["loops", "runner"],
    [do(loop("create_future"), "fut"),
     catch_await(loop("run_until_complete", V("fut")), "running run_until_complete"),
     catch_await(loop("run_forever"), "running run_forever"),
     NEW, do(m(V("other"), "create_future"), "ofut"),
     catch_await(m(V("other"), "run_until_complete", V("ofut")), "other run_until_complete"),
     catch_await(m(V("other"), "run_forever"), "other run_forever"),
     STATE, CLOSE, trace("fut", m(V("fut"), "done"), m(V("ofut"), "done"))],
    provenance="test_asyncio/test_base_events.py::RunningLoopTests::test_running_loop_within_a_loop"))

S.append(scenario(
    "loops/asyncio-run-while-running", "asyncio.run and Runner.run refuse to start from a running loop, leaving "
    "the coroutine unstarted (main then awaits it); Runner.run checks that it was given a coroutine first",
    ["loops", "runner"],
    [do(coro("work", 1), "c"),
     catch_await(aio("run", V("c")), "asyncio.run"),
     do(aio("Runner"), "r"),
     catch_await(m(V("r"), "run", V("c")), "Runner.run"),
     catch_await(m(V("r"), "run", 3), "Runner.run not a coroutine"),
     await_(V("c"), "v"), trace("awaited", V("v"))],
    coroutines={"work": co(["n"], sleep(0), ret(V("n")))},
    provenance="test_asyncio/test_runners.py::RunTests::test_asyncio_run_from_running_loop"))

SCENARIOS = S
