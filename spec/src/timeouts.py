from dsl import *

AREA = "timeouts"
DESCRIPTION = "asyncio.timeout / timeout_at: expiry, nesting, reschedule, expired(), when()"
TO_ = "test_asyncio/test_timeouts.py::TimeoutTests::"
S = []
TO = except_("TimeoutError", trace("timeout", V("e"), loop("time")), as_="e")
CX = except_("CancelledError", trace("cancelled", V("e"), loop("time")), as_="e")


def state(cm="cm"):
    return trace("cm", m(V(cm), "when"), m(V(cm), "expired"))


S.append(scenario(
    "timeouts/basic", "the body runs past the deadline: TimeoutError at the deadline",
    ["timeout"], [try_([with_(aio("timeout", 0.1), sleep(10), trace("unreachable"), as_="cm")], TO), state()],
    provenance=TO_ + "test_timeout_basic"))

S.append(scenario(
    "timeouts/not-reached", "a body that ends in time is unaffected",
    ["timeout"], [with_(aio("timeout", 1), sleep(0.1), trace("in time"), as_="cm"), state(), sleep(2), trace("later", loop("time"))],
    provenance=TO_ + "test_timeout_not_called"))

S.append(scenario(
    "timeouts/at-basic", "timeout_at with an absolute deadline",
    ["timeout"], [try_([with_(aio("timeout_at", op("add", loop("time"), 0.2)), sleep(10), as_="cm")], TO), state()],
    provenance=TO_ + "test_timeout_at_basic"))

S.append(scenario(
    "timeouts/disabled", "timeout(None) never expires",
    ["timeout"], [with_(aio("timeout", None), sleep(5), trace("slept"), as_="cm"), state()],
    provenance=TO_ + "test_timeout_disabled"))

S.append(scenario(
    "timeouts/zero", "timeout(0): the first await raises TimeoutError",
    ["timeout"], [try_([with_(aio("timeout", 0), trace("body runs"), sleep(1), trace("unreachable"), as_="cm")], TO), state()],
    provenance=TO_ + "test_timeout_zero"))

S.append(scenario(
    "timeouts/zero-sleep-zero", "timeout(0) with sleep(0) in the body",
    ["timeout"], [try_([with_(aio("timeout", 0), sleep(0), trace("after sleep0"), as_="cm")], TO), state()],
    provenance=TO_ + "test_timeout_zero_sleep_zero"))

S.append(scenario(
    "timeouts/in-the-past", "a deadline already in the past",
    ["timeout"], [sleep(1), try_([with_(aio("timeout_at", 0.5), sleep(0), trace("after sleep0"), as_="cm")], TO), state()],
    provenance=TO_ + "test_timeout_in_the_past_sleep_zero"))

S.append(scenario(
    "timeouts/nested-inner-first", "nested timeouts: the inner, earlier one fires and the outer is not expired",
    ["timeout"],
    [try_([with_(aio("timeout", 1), try_([with_(aio("timeout", 0.1), sleep(10), as_="inner")], TO), trace("outer body goes on"),
                 as_="outer")], TO),
     state("inner"), state("outer")], provenance=TO_ + "test_nested_timeouts"))

S.append(scenario(
    "timeouts/nested-outer-first", "nested timeouts: the outer one fires first; the inner block sees CancelledError",
    ["timeout", "cancellation"],
    [try_([with_(aio("timeout", 0.1), try_([with_(aio("timeout", 1), sleep(10), as_="inner")], TO,
                                              finally_=[trace("inner finally")]), as_="outer")], TO),
     state("inner"), state("outer")]))

S.append(scenario(
    "timeouts/nested-same-deadline", "nested timeouts with one deadline",
    ["timeout", "ties"],
    [try_([with_(aio("timeout", 0.1), try_([with_(aio("timeout", 0.1), sleep(10), as_="inner")], TO), trace("after inner"),
                 sleep(1), as_="outer")], TO),
     state("inner"), state("outer")], provenance=TO_ + "test_nested_timeouts_concurrent"))

S.append(scenario(
    "timeouts/reschedule-later", "reschedule() pushes the deadline back",
    ["timeout"],
    [try_([with_(aio("timeout", 0.1), do(m(V("cm"), "reschedule", op("add", loop("time"), 0.5))), sleep(0.3),
                 trace("survived", loop("time")), sleep(1), as_="cm")], TO), state()],
    provenance=TO_ + "test_reschedule"))

S.append(scenario(
    "timeouts/reschedule-earlier", "reschedule() brings the deadline forward",
    ["timeout"],
    [try_([with_(aio("timeout", 10), sleep(0.1), do(m(V("cm"), "reschedule", op("add", loop("time"), 0.1))), sleep(5),
                 as_="cm")], TO), state()]))

S.append(scenario(
    "timeouts/reschedule-none", "reschedule(None) disables the timeout",
    ["timeout"], [with_(aio("timeout", 0.1), do(m(V("cm"), "reschedule", None)), sleep(1), trace("no timeout"), as_="cm"), state()]))

S.append(scenario(
    "timeouts/reschedule-from-none", "a disabled timeout armed later",
    ["timeout"],
    [try_([with_(aio("timeout", None), sleep(0.5), do(m(V("cm"), "reschedule", op("add", loop("time"), 0.25))), sleep(5),
                 as_="cm")], TO), state()]))

S.append(scenario(
    "timeouts/reschedule-to-past", "rescheduling into the past expires on the next iteration",
    ["timeout"],
    [try_([with_(aio("timeout", 10), sleep(0.5), do(m(V("cm"), "reschedule", 0.1)), trace("rescheduled"), sleep(0),
                 trace("unreachable"), as_="cm")], TO), state()]))

S.append(scenario(
    "timeouts/foreign-exception", "an exception from the body passes through and the timeout does not count as expired",
    ["timeout", "exceptions"],
    [try_([with_(aio("timeout", 1), sleep(0.1), raise_(exc("ValueError", "own")), as_="cm")],
          except_("ValueError", trace("caught", V("e")), as_="e")), state()],
    provenance=TO_ + "test_foreign_exception_passed"))

S.append(scenario(
    "timeouts/foreign-exception-on-timeout", "the body turns the cancellation into its own exception",
    ["timeout", "exceptions", "cancellation"],
    [try_([with_(aio("timeout", 0.1), try_([sleep(1)], except_("CancelledError", raise_(exc("RuntimeError", "mine")))),
                 as_="cm")], TO, except_("RuntimeError", trace("caught", V("e")), as_="e")), state()],
    provenance=TO_ + "test_foreign_exception_on_timeout"))

S.append(scenario(
    "timeouts/foreign-cancel", "an outside cancel inside a timeout that has not expired stays a CancelledError",
    ["timeout", "cancellation"],
    [task(coro("body"), "t"), sleep(0.1), do(m(V("t"), "cancel")), try_([await_(V("t"))], CX)],
    coroutines={"body": co([], with_(aio("timeout", 1), sleep(10), as_="cm"))},
    provenance=TO_ + "test_foreign_cancel_doesnt_timeout_if_not_expired"))

S.append(scenario(
    "timeouts/outer-task-not-cancelled", "after a timeout fires the task is not left cancelled",
    ["timeout", "cancelling"],
    [try_([with_(aio("timeout", 0.1), sleep(1))], TO), trace("cancelling", m(aio("current_task"), "cancelling")),
     sleep(0.1), trace("still running")],
    provenance=TO_ + "test_outer_task_is_not_cancelled"))

S.append(scenario(
    "timeouts/in-finally", "a timeout inside a finally block that runs because of a cancel",
    ["timeout", "cancellation"],
    [task(coro("body"), "t"), sleep(0.1), do(m(V("t"), "cancel")), try_([await_(V("t"))], CX)],
    coroutines={"body": co([], try_([sleep(10)], finally_=[try_([with_(aio("timeout", 0.1), sleep(1))],
                                                                except_("TimeoutError", trace("cleanup timed out"))),
                                                         trace("finally ends")]))},
    provenance=TO_ + "test_nested_timeout_in_finally"))

S.append(scenario(
    "timeouts/after-cancellation", "a timeout entered after the task was cancelled and caught it",
    ["timeout", "cancellation", "uncancel"],
    [task(coro("body"), "t"), sleep(0), do(m(V("t"), "cancel")), await_(V("t"), "r"), trace("r", V("r"))],
    coroutines={"body": co([], try_([sleep(10)], except_("CancelledError", trace("caught"))),
                           try_([with_(aio("timeout", 0.1), sleep(1))], except_("TimeoutError", trace("timeout"))),
                           ret("ok"))},
    provenance=TO_ + "test_timeout_after_cancellation"))

S.append(scenario(
    "timeouts/cancel-in-timeout-after-cancellation", "cancelled again while inside a timeout after a caught cancellation",
    ["timeout", "cancellation"],
    [task(coro("body"), "t"), sleep(0), do(m(V("t"), "cancel")), sleep(0.05), do(m(V("t"), "cancel", "second")),
     try_([await_(V("t"))], CX)],
    coroutines={"body": co([], try_([sleep(10)], except_("CancelledError", trace("caught"))),
                           with_(aio("timeout", 1), sleep(10)), ret("unreachable"))},
    provenance=TO_ + "test_cancel_in_timeout_after_cancellation"))

S.append(scenario(
    "timeouts/double-enter", "entering the same timeout twice is a RuntimeError",
    ["timeout", "exceptions"],
    [do(aio("timeout", 1), "cm"), with_(V("cm"), try_([with_(V("cm"))], except_("RuntimeError", trace("caught", V("e")), as_="e")))],
    provenance=TO_ + "test_timeout_double_enter"))

S.append(scenario(
    "timeouts/reschedule-not-entered", "reschedule on a timeout that was never entered is a RuntimeError",
    ["timeout", "exceptions"],
    [do(aio("timeout", 1), "cm"), try_([do(m(V("cm"), "reschedule", 2))], except_("RuntimeError", trace("caught", V("e")), as_="e"))],
    provenance=TO_ + "test_timeout_not_entered"))

S.append(scenario(
    "timeouts/reschedule-finished", "reschedule after exit is a RuntimeError",
    ["timeout", "exceptions"],
    [with_(aio("timeout", 1), as_="cm"), try_([do(m(V("cm"), "reschedule", 2))], except_("RuntimeError", trace("caught", V("e")), as_="e"))],
    provenance=TO_ + "test_timeout_finished"))

S.append(scenario(
    "timeouts/expired-state", "expired() is False until the deadline passes inside the block",
    ["timeout"],
    [try_([with_(aio("timeout", 0.2), trace("before", m(V("cm"), "expired")), sleep(0.1), trace("mid", m(V("cm"), "expired")),
                 sleep(1), as_="cm")], TO), trace("after", m(V("cm"), "expired"))],
    provenance=TO_ + "test_timeout_expired"))

S.append(scenario(
    "timeouts/busy-loop", "the timeout fires even while other tasks keep the loop busy",
    ["timeout", "tasks"],
    [task(coro("spinner"), "spin"), try_([with_(aio("timeout", 0.1), sleep(1))], TO), do(m(V("spin"), "cancel")),
     try_([await_(V("spin"))], CX)],
    coroutines={"spinner": co([], while_(True, sleep(0.03)))},
    provenance=TO_ + "test_nested_timeouts_loop_busy"))

S.append(scenario(
    "timeouts/caught-inside", "the body catches the CancelledError itself: no TimeoutError, expired() is True",
    ["timeout", "cancellation"],
    [with_(aio("timeout", 0.1), try_([sleep(1)], except_("CancelledError", trace("swallowed"))), as_="cm"), state(),
     trace("cancelling", m(aio("current_task"), "cancelling"))]))
SCENARIOS = S
