from dsl import *

AREA = "wait-for"
DESCRIPTION = "asyncio.wait_for and asyncio.shield"
TW = "test_asyncio/test_waitfor.py::AsyncioWaitForTest::"
TT = "test_asyncio/test_tasks.py::BaseTaskTests::"
S = []
W = {"w": co(["n", "d"], sleep(V("d")), trace("done", V("n")), ret(V("n"))),
     "bad": co(["d"], sleep(V("d")), raise_(exc("ValueError", "bad"))),
     "guarded": co(["d"], try_([sleep(V("d"))], except_("CancelledError", trace("inner cancelled", V("e")), raise_(), as_="e")),
                   ret("finished"))}
TO = except_("TimeoutError", trace("timeout", V("e"), loop("time")), as_="e")
CX = except_("CancelledError", trace("cancelled", V("e"), loop("time")), as_="e")


def waitfor(aw, timeout, label="r"):
    return try_([await_(aio("wait_for", aw, timeout), label), trace(label, V(label), loop("time"))], TO)


S.append(scenario(
    "wait-for/in-time", "the awaitable finishes before the timeout: its result",
    ["wait_for"], [waitfor(coro("w", 1, 0.1), 1), sleep(2)], coroutines=W, provenance=TW + "test_wait_for"))

S.append(scenario(
    "wait-for/expires", "on timeout the inner task is cancelled, awaited, and TimeoutError raised",
    ["wait_for", "timeout", "cancellation"], [waitfor(coro("guarded", 10), 0.5)], coroutines=W,
    provenance=TW + "test_asyncio_wait_for_timeout"))

S.append(scenario(
    "wait-for/none", "timeout=None waits as long as it takes",
    ["wait_for"], [waitfor(coro("w", 1, 100), None)], coroutines=W))

S.append(scenario(
    "wait-for/zero-done-future", "timeout=0 with a done future returns its result",
    ["wait_for", "futures"],
    [do(loop("create_future"), "fut"), do(m(V("fut"), "set_result", "ready")), waitfor(V("fut"), 0)],
    provenance=TW + "test_wait_for_timeout_less_then_0_or_0_future_done"))

S.append(scenario(
    "wait-for/zero-coroutine", "timeout=0 with a coroutine: it is never started, TimeoutError at once",
    ["wait_for", "timeout"], [waitfor(coro("w", 1, 0), 0), sleep(0)], coroutines=W,
    provenance=TW + "test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started"))

S.append(scenario(
    "wait-for/negative", "a negative timeout behaves as zero",
    ["wait_for", "timeout"], [task(coro("w", 1, 1), "t"), waitfor(V("t"), -1), trace("t", m(V("t"), "cancelled"))],
    coroutines=W, provenance=TW + "test_wait_for_timeout_less_then_0_or_0"))

S.append(scenario(
    "wait-for/exception", "an exception from the awaitable passes through",
    ["wait_for", "exceptions"],
    [try_([await_(aio("wait_for", coro("bad", 0.1), 1))], except_("ValueError", trace("caught", V("e")), as_="e"))],
    coroutines=W))

S.append(scenario(
    "wait-for/cancel-outer", "cancelling the task in wait_for cancels the inner awaitable",
    ["wait_for", "cancellation"],
    [task(coro("outer"), "o"), sleep(0.1), do(m(V("o"), "cancel")), try_([await_(V("o"))], CX)],
    coroutines={**W, "outer": co([], await_(aio("wait_for", coro("guarded", 10), 5)))},
    provenance=TW + "test_cancel_wait_for"))

S.append(scenario(
    "wait-for/inner-suppresses", "inner swallows the cancellation and returns: wait_for returns its result",
    ["wait_for", "cancellation"],
    [waitfor(coro("stubborn"), 0.1)],
    coroutines={"stubborn": co([], try_([sleep(1)], except_("CancelledError", trace("swallowed"))), ret("late result"))},
    provenance=TW + "test_wait_for_cancellation_race_condition"))

S.append(scenario(
    "wait-for/waits-for-cancellation", "after the timeout, wait_for waits until the inner task has finished cancelling",
    ["wait_for", "cancellation"],
    [waitfor(coro("slowcancel"), 0.1), trace("end", loop("time"))],
    coroutines={"slowcancel": co([], try_([sleep(1)], finally_=[trace("cleanup"), sleep(0.5), trace("cleanup done")]))},
    provenance=TW + "test_wait_for_waits_for_task_cancellation"))

S.append(scenario(
    "wait-for/reraises-during-cancellation", "an exception raised while cancelling on timeout replaces the TimeoutError",
    ["wait_for", "cancellation", "exceptions"],
    [try_([await_(aio("wait_for", coro("fails_on_cancel"), 0.1))], TO,
          except_("ValueError", trace("value error", V("e")), as_="e"))],
    coroutines={"fails_on_cancel": co([], try_([sleep(1)], finally_=[raise_(exc("ValueError", "in cleanup"))]))},
    provenance=TW + "test_wait_for_reraises_exception_during_cancellation"))

S.append(scenario(
    "wait-for/future-timeout", "a plain future that times out is cancelled",
    ["wait_for", "futures", "timeout"],
    [do(loop("create_future"), "fut"), waitfor(V("fut"), 0.2), trace("fut", m(V("fut"), "cancelled"))]))

S.append(scenario(
    "wait-for/task-result-at-deadline", "the inner task finishes exactly at the deadline",
    ["wait_for", "timeout", "ties"], [waitfor(coro("w", 1, 0.5), 0.5)], coroutines=W,
    provenance=TW + "test_wait_for_race_condition"))

S.append(scenario(
    "wait-for/nested", "nested wait_for: the inner, shorter timeout fires",
    ["wait_for", "timeout"],
    [try_([await_(aio("wait_for", coro("inner_wf"), 1), "r"), trace("r", V("r"))], TO)],
    coroutines={**W, "inner_wf": co([], try_([await_(aio("wait_for", coro("w", 1, 10), 0.2))],
                                             except_("TimeoutError", trace("inner timeout", loop("time")), ret("recovered"))))}))

S.append(scenario(
    "wait-for/self-cancellation", "wait_for inside a task that cancels itself",
    ["wait_for", "cancellation"],
    [task(coro("selfc"), "t"), try_([await_(V("t"))], CX)],
    coroutines={**W, "selfc": co([], do(m(aio("current_task"), "cancel")), await_(aio("wait_for", coro("w", 1, 1), 5)))},
    provenance=TW + "test_wait_for_self_cancellation"))

# -- shield -------------------------------------------------------------------------------
S.append(scenario(
    "wait-for/shield-result", "shield of an awaitable returns its result",
    ["shield"], [await_(aio("shield", coro("w", 1, 0.1)), "r"), trace("r", V("r"))], coroutines=W,
    provenance=TT + "test_shield_result"))

S.append(scenario(
    "wait-for/shield-exception", "shield passes the inner exception on",
    ["shield", "exceptions"],
    [try_([await_(aio("shield", coro("bad", 0.1)))], except_("ValueError", trace("caught", V("e")), as_="e"))],
    coroutines=W, provenance=TT + "test_shield_exception"))

S.append(scenario(
    "wait-for/shield-cancel-outer", "cancelling the awaiter of a shield leaves the inner task running",
    ["shield", "cancellation"],
    [task(coro("w", 1, 0.5), "inner"), task(coro("shielded", V("inner")), "outer"), sleep(0.1), do(m(V("outer"), "cancel")),
     try_([await_(V("outer"))], CX), trace("inner", m(V("inner"), "done")), await_(V("inner"), "r"), trace("r", V("r"), loop("time"))],
    coroutines={**W, "shielded": co(["t"], await_(aio("shield", V("t"))))}, provenance=TT + "test_shield_cancel_outer"))

S.append(scenario(
    "wait-for/shield-cancel-inner", "cancelling the inner task cancels the shield's awaiter too",
    ["shield", "cancellation"],
    [task(coro("w", 1, 0.5), "inner"), task(coro("shielded", V("inner")), "outer"), sleep(0.1), do(m(V("inner"), "cancel")),
     try_([await_(V("outer"))], CX), trace("outer", m(V("outer"), "cancelled"))],
    coroutines={**W, "shielded": co(["t"], await_(aio("shield", V("t"))))}, provenance=TT + "test_shield_cancel_inner"))

S.append(scenario(
    "wait-for/shield-done", "shield of a done future is that future",
    ["shield", "futures"],
    [do(loop("create_future"), "fut"), do(m(V("fut"), "set_result", 1)), trace("same", op("is", aio("shield", V("fut")), V("fut")))],
    provenance=TT + "test_shield_shortcut"))

S.append(scenario(
    "wait-for/shield-with-wait-for", "wait_for(shield(t)) times out without cancelling t",
    ["shield", "wait_for", "timeout"],
    [task(coro("w", 1, 0.5), "t"), waitfor(aio("shield", V("t")), 0.1), trace("t", m(V("t"), "cancelled")),
     await_(V("t"), "r"), trace("r", V("r"), loop("time"))], coroutines=W))

S.append(scenario(
    "wait-for/shield-gather", "shield(gather(...)): cancelling the outer leaves the gather",
    ["shield", "gather", "cancellation"],
    [do(aio("gather", coro("w", 1, 0.2), coro("w", 2, 0.3)), "g"), do(aio("shield", V("g")), "outer"),
     sleep(0.1), do(m(V("outer"), "cancel")), try_([await_(V("outer"))], CX), await_(V("g"), "r"), trace("r", V("r"))],
    coroutines=W, provenance=TT + "test_shield_gather"))

S.append(scenario(
    "wait-for/gather-shield", "gather(shield(a), b): cancelling the gather cancels b but not a",
    ["shield", "gather", "cancellation"],
    [task(coro("w", 1, 0.2), "a"), task(coro("w", 2, 0.3), "b"), do(aio("gather", aio("shield", V("a")), V("b")), "g"),
     sleep(0.1), do(m(V("g"), "cancel")), try_([await_(V("g"))], CX), sleep(0.2),
     trace("a", m(V("a"), "cancelled"), m(V("a"), "result")), trace("b", m(V("b"), "cancelled"))],
    coroutines=W, provenance=TT + "test_gather_shield"))
SCENARIOS = S
