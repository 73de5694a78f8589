from dsl import *

AREA = "cancellation"
DESCRIPTION = "Task.cancel: where CancelledError lands, messages, cancelling()/uncancel() counts, catching, finally"
TT = "test_asyncio/test_tasks.py::BaseTaskTests::"
S = []


def catch(expr, label="err"):
    return try_([do(expr, "v"), trace("ok", V("v"))], except_([], trace(label, V("e")), as_="e"))


def state(t):
    return trace("state", m(V(t), "done"), m(V(t), "cancelled"), m(V(t), "cancelling"))


SLEEPER = co(["d"], sleep(V("d")), trace("woke"))
CATCH_ALL = except_("CancelledError", trace("caught", V("e")), as_="e")

S.append(scenario(
    "cancellation/cancel-sleeping", "cancelling a sleeping task raises CancelledError inside it at its await",
    ["cancellation", "tasks"],
    [task(coro("sl", 10), "t"), sleep(0.1), trace("cancel", m(V("t"), "cancel")), state("t"),
     try_([await_(V("t"))], CATCH_ALL), state("t")],
    coroutines={"sl": SLEEPER}, provenance=TT + "test_task_cancel_sleeping_task"))

S.append(scenario(
    "cancellation/message", "cancel(msg): the CancelledError inside the task and at the awaiter carries msg",
    ["cancellation"],
    [task(coro("w"), "t"), sleep(0), do(m(V("t"), "cancel", "my reason")),
     try_([await_(V("t"))], CATCH_ALL), catch(m(V("t"), "result")), catch(m(V("t"), "exception"))],
    coroutines={"w": co([], try_([sleep(10)], except_("CancelledError", trace("inside", V("e")), raise_(), as_="e")))},
    provenance=TT + "test_cancel_with_message_then_future_result"))

S.append(scenario(
    "cancellation/before-start", "a task cancelled before its first step never runs its body",
    ["cancellation", "tasks"],
    [task(coro("w"), "t"), do(m(V("t"), "cancel", "early")), trace("cancelling", m(V("t"), "cancelling")),
     try_([await_(V("t"))], CATCH_ALL), state("t")],
    coroutines={"w": co([], trace("never"))}, provenance=TT + "test_cancel_with_message_before_starting_task"))

S.append(scenario(
    "cancellation/twice", "cancelling twice counts two requests but throws once",
    ["cancellation", "cancelling"],
    [task(coro("w"), "t"), sleep(0), trace("first", m(V("t"), "cancel")), trace("second", m(V("t"), "cancel")),
     trace("cancelling", m(V("t"), "cancelling")), sleep(0), sleep(0), state("t"), catch(m(V("t"), "result"))],
    coroutines={"w": co([], try_([sleep(10)], except_("CancelledError", trace("caught once"), as_="e")),
                        trace("cancelling inside", m(aio("current_task"), "cancelling")), ret("survived"))},
    provenance=TT + "test_cancelling"))

S.append(scenario(
    "cancellation/uncancel", "uncancel() decrements the count of pending cancel requests",
    ["cancellation", "cancelling", "uncancel"],
    [task(coro("w"), "t"), sleep(0), do(m(V("t"), "cancel")), do(m(V("t"), "cancel")), sleep(0), await_(V("t"), "r"),
     trace("r", V("r"))],
    coroutines={"w": co([], try_([sleep(10)], except_("CancelledError", PASS)),
                        do(aio("current_task"), "me"),
                        trace("counts", m(V("me"), "cancelling"), m(V("me"), "uncancel"), m(V("me"), "uncancel"),
                              m(V("me"), "cancelling")),
                        ret("ok"))},
    provenance=TT + "test_uncancel_basic"))

S.append(scenario(
    "cancellation/uncancel-then-cancel", "after uncancel() to zero the task can be cancelled again and completes",
    ["cancellation", "cancelling", "uncancel"],
    [task(coro("w"), "t"), sleep(0), do(m(V("t"), "cancel")), sleep(0), sleep(0), do(m(V("t"), "cancel", "again")),
     try_([await_(V("t"))], CATCH_ALL), state("t")],
    coroutines={"w": co([], try_([sleep(10)], except_("CancelledError", trace("first"))),
                        trace("uncancel", m(aio("current_task"), "uncancel")), sleep(10), trace("unreachable"))},
    provenance=TT + "test_uncancel_structured_blocks"))

S.append(scenario(
    "cancellation/catch-and-return", "a task that catches CancelledError and returns is not cancelled",
    ["cancellation"],
    [task(coro("w"), "t"), sleep(0), do(m(V("t"), "cancel")), await_(V("t"), "r"), trace("r", V("r")), state("t")],
    coroutines={"w": co([], try_([sleep(10)], except_("CancelledError", ret(42))))},
    provenance=TT + "test_cancel_task_catching"))

S.append(scenario(
    "cancellation/ignore-and-continue", "a task that ignores CancelledError keeps running until it ends",
    ["cancellation"],
    [task(coro("w"), "t"), sleep(0), do(m(V("t"), "cancel")), await_(V("t"), "r"), trace("r", V("r"), loop("time"))],
    coroutines={"w": co([], try_([sleep(10)], except_("CancelledError", trace("ignoring"))), sleep(0.5), ret("finished"))},
    provenance=TT + "test_cancel_task_ignoring"))

S.append(scenario(
    "cancellation/during-finally", "a cancel that lands while the task awaits in its finally block",
    ["cancellation"],
    [task(coro("w"), "t"), sleep(0), do(m(V("t"), "cancel", "one")), sleep(0.05), do(m(V("t"), "cancel", "two")),
     try_([await_(V("t"))], CATCH_ALL), trace("cancelling", m(V("t"), "cancelling"))],
    coroutines={"w": co([], try_([sleep(10)], finally_=[trace("cleanup start"), sleep(0.1), trace("cleanup end")]))}))

S.append(scenario(
    "cancellation/finally-runs", "finally blocks run when the cancellation unwinds through nested coroutines",
    ["cancellation"],
    [task(coro("outer"), "t"), sleep(0.1), do(m(V("t"), "cancel")), try_([await_(V("t"))], CATCH_ALL)],
    coroutines={"outer": co([], try_([await_(coro("inner"))], finally_=[trace("outer finally")])),
                "inner": co([], try_([sleep(10)], finally_=[trace("inner finally")]))}))

S.append(scenario(
    "cancellation/propagates-to-awaited-task", "cancelling a task that awaits another task cancels that task too",
    ["cancellation", "tasks"],
    [task(coro("sl", 10), "inner"), task(coro("waiter", V("inner")), "outer"), sleep(0), do(m(V("outer"), "cancel")),
     sleep(0), sleep(0), state("inner"), state("outer")],
    coroutines={"sl": SLEEPER, "waiter": co(["t"], await_(V("t")))}, provenance=TT + "test_cancel_awaited_task"))

S.append(scenario(
    "cancellation/inner-future", "cancelling the future a task awaits raises CancelledError in the task",
    ["cancellation", "futures"],
    [do(loop("create_future"), "fut"), task(coro("waiter"), "t"), sleep(0), do(m(V("fut"), "cancel")), sleep(0),
     state("t"), trace("cancelling", m(V("t"), "cancelling"))],
    coroutines={"waiter": co([], try_([await_(V("fut"))], except_("CancelledError", trace("caught"), raise_())))},
    provenance=TT + "test_cancel_inner_future"))

S.append(scenario(
    "cancellation/task-and-inner-future", "cancelling both the task and its awaited future",
    ["cancellation", "futures"],
    [do(loop("create_future"), "fut"), task(coro("waiter"), "t"), sleep(0), do(m(V("fut"), "cancel")),
     do(m(V("t"), "cancel")), try_([await_(V("t"))], CATCH_ALL), state("t")],
    coroutines={"waiter": co([], await_(V("fut")))}, provenance=TT + "test_cancel_both_task_and_inner_future"))

S.append(scenario(
    "cancellation/waiter-future-cancelled", "cancelling a task cancels the future it was waiting on",
    ["cancellation", "futures"],
    [do(loop("create_future"), "fut"), task(coro("waiter"), "t"), sleep(0), do(m(V("t"), "cancel")), sleep(0),
     trace("future", m(V("fut"), "cancelled")), state("t")],
    coroutines={"waiter": co([], await_(V("fut")))}, provenance=TT + "test_task_cancel_waiter_future"))

S.append(scenario(
    "cancellation/self", "a task cancelling itself is cancelled at its next await",
    ["cancellation"],
    [task(coro("w"), "t"), try_([await_(V("t"))], CATCH_ALL), state("t")],
    coroutines={"w": co([], trace("cancel", m(aio("current_task"), "cancel")), trace("still running"), sleep(0),
                        trace("unreachable"))}, provenance=TT + "test_cancel_current_task"))

S.append(scenario(
    "cancellation/at-end", "a task that cancels itself and returns without awaiting ends cancelled",
    ["cancellation"],
    [task(coro("w"), "t"), try_([await_(V("t"), "r"), trace("r", V("r"))], CATCH_ALL), state("t")],
    coroutines={"w": co([], do(m(aio("current_task"), "cancel")), ret(12))}, provenance=TT + "test_cancel_at_end"))

S.append(scenario(
    "cancellation/done-task", "cancel() on a finished task returns False and changes nothing",
    ["cancellation"],
    [task(coro("w"), "t"), await_(V("t")), trace("cancel", m(V("t"), "cancel")), state("t"), trace("r", m(V("t"), "result"))],
    coroutines={"w": co([], ret(1))}, provenance=TT + "test_cancel"))

S.append(scenario(
    "cancellation/from-callback", "a timer callback cancels a task",
    ["cancellation", "timers"],
    [task(coro("sl", 10), "t"), do(loop("call_later", 0.5, fn("kill"), V("t"))), try_([await_(V("t"))], CATCH_ALL),
     trace("at", loop("time"))],
    coroutines={"sl": SLEEPER}, functions={"kill": f(["t"], trace("cancel", m(V("t"), "cancel", "timer")))}))

S.append(scenario(
    "cancellation/count-survives-catch", "catching CancelledError does not reset cancelling()",
    ["cancellation", "cancelling"],
    [task(coro("w"), "t"), sleep(0), do(m(V("t"), "cancel")), sleep(0), do(m(V("t"), "cancel")), sleep(0), sleep(0),
     state("t")],
    coroutines={"w": co([], for_("i", rng(2), try_([sleep(10)], except_("CancelledError",
                                                                           trace("caught", m(aio("current_task"), "cancelling"))))),
                        ret("done"))}))

S.append(scenario(
    "cancellation/raise-cancelled-manually", "a coroutine raising CancelledError itself ends its task cancelled",
    ["cancellation", "exceptions"],
    [task(coro("w"), "t"), try_([await_(V("t"))], CATCH_ALL), state("t")],
    coroutines={"w": co([], sleep(0), raise_(exc("CancelledError", "by hand")))}))

S.append(scenario(
    "cancellation/bare-yield", "cancelling a task suspended in sleep(0)",
    ["cancellation", "sleep"],
    [task(coro("w"), "t"), sleep(0), do(m(V("t"), "cancel")), try_([await_(V("t"))], CATCH_ALL)],
    coroutines={"w": co([], trace("before"), sleep(0), trace("unreachable"))}, provenance=TT + "test_cancel_yield"))

S.append(scenario(
    "cancellation/awaiter-sees-chain", "the awaiter of a task cancelled with a message sees that message",
    ["cancellation", "tasks"],
    [task(coro("sl", 10), "inner"), task(coro("waiter", V("inner")), "outer"), sleep(0),
     do(m(V("inner"), "cancel", "inner reason")), try_([await_(V("outer"))], CATCH_ALL), state("outer")],
    coroutines={"sl": SLEEPER,
                "waiter": co(["t"], try_([await_(V("t"))], except_("CancelledError", trace("waiter caught", V("e")), raise_(), as_="e")))}))

S.append(scenario(
    "cancellation/cancel-in-except-handler", "a second cancel while the task awaits inside its except CancelledError block",
    ["cancellation"],
    [task(coro("w"), "t"), sleep(0), do(m(V("t"), "cancel", "a")), sleep(0), do(m(V("t"), "cancel", "b")),
     try_([await_(V("t"))], CATCH_ALL), trace("cancelling", m(V("t"), "cancelling"))],
    coroutines={"w": co([], try_([sleep(10)], except_("CancelledError", trace("handler", V("e")), sleep(10), trace("unreachable"),
                                                       as_="e")))}))

S.append(scenario(
    "cancellation/pending-on-main-exit", "tasks still pending when main returns are cancelled by the runner",
    ["cancellation", "runner"],
    # asyncio.run cancels leftovers in all_tasks() (a set) order: only one may leave a trace
    [task(coro("w", 1), "w1"), task(aio("sleep", 10), "quiet"), sleep(0), trace("main done")],
    coroutines={"w": co(["n"], try_([sleep(10)], finally_=[trace("finally", V("n"))]))},
    provenance="test_asyncio/test_runners.py::RunTests::test_asyncio_run_cancels_hanging_tasks"))

S.append(scenario(
    "cancellation/cancel-returns-while-pending", "cancel() returns True for each request while the task is pending",
    ["cancellation", "cancelling"],
    [task(coro("sl", 1), "t"), trace("cancels", m(V("t"), "cancel"), m(V("t"), "cancel"), m(V("t"), "cancel")),
     trace("cancelling", m(V("t"), "cancelling")), try_([await_(V("t"))], CATCH_ALL),
     trace("after", m(V("t"), "cancel"), m(V("t"), "cancelling"))],
    coroutines={"sl": SLEEPER}))

S.append(scenario(
    "cancellation/cancel-main-from-child", "a child task cancels the main task",
    ["cancellation", "runner"],
    [task(coro("killer", aio("current_task")), "k"), try_([sleep(10)], except_("CancelledError", trace("main cancelled", V("e")),
                                                                             raise_(), as_="e"))],
    coroutines={"killer": co(["victim"], sleep(0.2), do(m(V("victim"), "cancel", "from child")))}))
S.append(scenario(
    "cancellation/uncancel-never-cancelled", "uncancel() on a task with no cancel request stays at 0",
    ["uncancel", "cancelling"],
    [trace("counts", m(aio("current_task"), "uncancel"), m(aio("current_task"), "cancelling"))],
    provenance=TT + "test_uncancel_basic"))

S.append(scenario(
    "cancellation/uncancel-does-not-stop-delivery", "uncancel() right after cancel() does not withdraw the pending CancelledError",
    ["uncancel", "cancellation"],
    [task(coro("sl", 1), "t"), sleep(0), do(m(V("t"), "cancel", "still")), trace("uncancel", m(V("t"), "uncancel")),
     try_([await_(V("t"))], CATCH_ALL), state("t")],
    coroutines={"sl": SLEEPER}))

S.append(scenario(
    "cancellation/cancel-and-timeout-same-instant", "an outside cancel at the timeout's deadline: CancelledError, not TimeoutError",
    ["cancellation", "timeout", "uncancel", "ties"],
    [task(coro("body"), "t"), do(loop("call_later", 0.1, fn("kill"), V("t"))), try_([await_(V("t"))], CATCH_ALL), state("t")],
    coroutines={"body": co([], try_([with_(aio("timeout", 0.1), sleep(1))],
                                    except_("TimeoutError", trace("timeout"), ret("timed out"))))},
    functions={"kill": f(["t"], do(m(V("t"), "cancel", "outside")))},
    provenance="test_asyncio/test_timeouts.py::TimeoutTests::test_cancel_in_timeout_after_cancellation"))

S.append(scenario(
    "cancellation/cancel-then-timeout", "cancelled just before the timeout's deadline: the task sees CancelledError",
    ["cancellation", "timeout"],
    [task(coro("body"), "t"), sleep(0.05), do(m(V("t"), "cancel")), try_([await_(V("t"))], CATCH_ALL), state("t")],
    coroutines={"body": co([], try_([with_(aio("timeout", 0.1), sleep(1))], except_("TimeoutError", trace("timeout"))))}))
SCENARIOS = S
