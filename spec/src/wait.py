from dsl import *

AREA = "wait"
DESCRIPTION = "asyncio.wait and asyncio.as_completed: done/pending sets, return_when, timeouts"
TT = "test_asyncio/test_tasks.py::BaseTaskTests::"
S = []
W = {"w": co(["n", "d"], sleep(V("d")), ret(V("n"))),
     "bad": co(["d"], sleep(V("d")), raise_(exc("ValueError", "bad")))}


def mk(*specs):
    return [task(coro(c, *a), n) for n, c, a in specs]


THREE = mk(("a", "w", (1, 0.1)), ("b", "w", (2, 0.3)), ("c", "w", (3, 0.2)))

S.append(scenario(
    "wait/all-completed", "wait() by default returns when everything is done",
    ["wait"], THREE + [await_(aio("wait", [V("a"), V("b"), V("c")]), "r"), trace("r", V("r"), loop("time"))],
    coroutines=W, provenance=TT + "test_wait"))

S.append(scenario(
    "wait/first-completed", "return_when=FIRST_COMPLETED returns as soon as one is done",
    ["wait"], THREE + [await_(aio("wait", [V("a"), V("b"), V("c")], return_when="FIRST_COMPLETED"), "r"),
                       trace("r", V("r"), loop("time")), await_(aio("wait", [V("b"), V("c")]))],
    coroutines=W, provenance=TT + "test_wait_first_completed"))

S.append(scenario(
    "wait/first-exception", "return_when=FIRST_EXCEPTION returns at the first failure",
    ["wait", "exceptions"],
    mk(("a", "w", (1, 0.1)), ("b", "bad", (0.2,)), ("c", "w", (3, 0.5))) +
    [await_(aio("wait", [V("a"), V("b"), V("c")], return_when="FIRST_EXCEPTION"), "r"), trace("r", V("r"), loop("time")),
     trace("exc", m(V("b"), "exception")), do(m(V("c"), "cancel"))],
    coroutines=W, provenance=TT + "test_wait_first_exception"))

S.append(scenario(
    "wait/first-exception-none", "FIRST_EXCEPTION with no failure waits for all",
    ["wait"], THREE + [await_(aio("wait", [V("a"), V("b"), V("c")], return_when="FIRST_EXCEPTION"), "r"),
                       trace("r", V("r"), loop("time"))], coroutines=W))

S.append(scenario(
    "wait/timeout", "a timeout returns what is done and leaves the rest pending, without cancelling it",
    ["wait", "timeout"],
    THREE + [await_(aio("wait", [V("a"), V("b"), V("c")], timeout=0.15), "r"), trace("r", V("r"), loop("time")),
             trace("b", m(V("b"), "cancelled")), await_(V("b"), "rb"), trace("rb", V("rb"))],
    coroutines=W, provenance=TT + "test_wait_with_timeout"))

S.append(scenario(
    "wait/empty", "wait() of an empty set raises ValueError",
    ["wait", "exceptions"], [try_([await_(aio("wait", []))], except_("ValueError", trace("caught", V("e")), as_="e"))],
    provenance=TT + "test_wait_errors"))

S.append(scenario(
    "wait/bad-return-when", "an unknown return_when raises ValueError",
    ["wait", "exceptions"],
    mk(("a", "w", (1, 0))) + [try_([await_(aio("wait", [V("a")], return_when="SOMETIMES"))],
                                   except_("ValueError", trace("caught", V("e")), as_="e")), await_(V("a"))],
    coroutines=W, provenance=TT + "test_wait_errors"))

S.append(scenario(
    "wait/already-done", "wait() with finished tasks returns on the next iteration",
    ["wait"], mk(("a", "w", (1, 0))) + [sleep(0), sleep(0), await_(aio("wait", [V("a")]), "r"), trace("r", V("r"))],
    coroutines=W))

S.append(scenario(
    "wait/cancel-waiter", "cancelling the task in wait() does not cancel the awaited tasks",
    ["wait", "cancellation"],
    THREE + [task(coro("waiter", [V("a"), V("b"), V("c")]), "wt"), sleep(0.05), do(m(V("wt"), "cancel")),
             try_([await_(V("wt"))], except_("CancelledError", trace("caught"))),
             trace("others", m(V("a"), "cancelled"), m(V("b"), "cancelled")), await_(aio("wait", [V("a"), V("b"), V("c")]))],
    coroutines={**W, "waiter": co(["ts"], await_(aio("wait", V("ts"))))},
    provenance=TT + "test_yield_wait_does_not_shield_cancel"))

S.append(scenario(
    "wait/futures", "wait() on plain futures resolved by callbacks",
    ["wait", "futures"],
    [do(loop("create_future"), "f1"), do(loop("create_future"), "f2"), do(loop("call_later", 0.2, fn("res"), V("f1"))),
     do(loop("call_later", 0.1, fn("res"), V("f2"))),
     await_(aio("wait", [V("f1"), V("f2")], return_when="FIRST_COMPLETED"), "r"), trace("r", V("r")),
     await_(aio("wait", [V("f1"), V("f2")]), "r2"), trace("r2", V("r2"))],
    functions={"res": f(["f"], do(m(V("f"), "set_result", None)))}))

S.append(scenario(
    "wait/timeout-zero", "timeout=0 polls once",
    ["wait", "timeout"], THREE + [await_(aio("wait", [V("a"), V("b"), V("c")], timeout=0), "r"), trace("r", V("r"), loop("time")),
                                  await_(aio("wait", [V("a"), V("b"), V("c")]))], coroutines=W))

# as_completed() puts its arguments in a set, so coroutines would become tasks in hash
# (address) order: pass tasks created in a known order instead.
def tasks_of(*coros):
    return [task(c, f"t{i}") for i, c in enumerate(coros)], [V(f"t{i}") for i in range(len(coros))]


S.append(scenario(
    "wait/as-completed-order", "as_completed yields in completion order",
    ["as_completed"],
    tasks_of(coro("w", 1, 0.3), coro("w", 2, 0.1), coro("w", 3, 0.2))[0] +
    [for_("fut", aio("as_completed", tasks_of(1, 2, 3)[1]),
          await_(V("fut"), "r"), trace("next", V("r"), loop("time")))],
    coroutines=W, provenance=TT + "test_as_completed"))

S.append(scenario(
    "wait/as-completed-timeout", "as_completed(timeout=) raises TimeoutError for what is left",
    ["as_completed", "timeout"],
    tasks_of(coro("w", 1, 0.1), coro("w", 2, 1))[0] +
    [try_([for_("fut", aio("as_completed", tasks_of(1, 2)[1], timeout=0.5),
                await_(V("fut"), "r"), trace("next", V("r"), loop("time")))],
          except_("TimeoutError", trace("timeout", V("e"), loop("time")), as_="e"))],
    coroutines=W, provenance=TT + "test_as_completed_with_timeout"))

S.append(scenario(
    "wait/as-completed-unused-timeout", "a timeout that never fires",
    ["as_completed", "timeout"],
    tasks_of(coro("w", 1, 0.1))[0] +
    [for_("fut", aio("as_completed", tasks_of(1)[1], timeout=5), await_(V("fut"), "r"), trace("next", V("r"))),
     sleep(10), trace("end", loop("time"))],
    coroutines=W, provenance=TT + "test_as_completed_with_unused_timeout"))

S.append(scenario(
    "wait/as-completed-exception", "an exception comes out of the awaited item, in completion order",
    ["as_completed", "exceptions"],
    tasks_of(coro("w", 1, 0.2), coro("bad", 0.1))[0] +
    [for_("fut", aio("as_completed", tasks_of(1, 2)[1]),
          try_([await_(V("fut"), "r"), trace("next", V("r"))], except_("ValueError", trace("failed", V("e")), as_="e")))],
    coroutines=W))

S.append(scenario(
    "wait/as-completed-ties", "equal completion times: order follows the timers",
    ["as_completed", "ties"],
    tasks_of(*[coro("w", i, 0.1) for i in range(5)])[0] +
    [for_("fut", aio("as_completed", tasks_of(*range(5))[1]), await_(V("fut"), "r"), trace("next", V("r")))],
    coroutines=W))

S.append(scenario(
    "wait/as-completed-empty", "as_completed of nothing yields nothing",
    ["as_completed"], [for_("fut", aio("as_completed", []), trace("never")), trace("end")]))
SCENARIOS = S
