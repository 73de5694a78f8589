from dsl import *

AREA = "gather"
DESCRIPTION = "asyncio.gather: result order, return_exceptions, first error, cancellation both ways"
TG = "test_asyncio/test_tasks.py::"
S = []
CATCH = lambda t="CancelledError": except_(t, trace("caught", V("e")), as_="e")  # noqa: E731
W = {"w": co(["n", "d"], sleep(V("d")), trace("done", V("n")), ret(V("n"))),
     "bad": co(["d", "msg"], sleep(V("d")), raise_(exc("ValueError", V("msg"))))}

S.append(scenario(
    "gather/results-in-argument-order", "results come in argument order, whatever the completion order",
    ["gather"], [await_(aio("gather", coro("w", 1, 0.3), coro("w", 2, 0.1), coro("w", 3, 0.2)), "r"), trace("r", V("r"))],
    coroutines=W, provenance=TG + "GatherTestsBase::test_success"))

S.append(scenario(
    "gather/empty", "gather() with nothing returns an empty list",
    ["gather"], [await_(aio("gather"), "r"), trace("r", V("r"))],
    provenance=TG + "FutureGatherTests::test_constructor_empty_sequence_use_running_loop"))

S.append(scenario(
    "gather/first-exception", "the first exception propagates at once; the other children keep running",
    ["gather", "exceptions"],
    [task(coro("w", 1, 0.5), "slow"), try_([await_(aio("gather", V("slow"), coro("bad", 0.1, "early")))], CATCH("ValueError")),
     trace("slow", m(V("slow"), "done")), await_(V("slow"), "r"), trace("r", V("r"))],
    coroutines=W, provenance=TG + "GatherTestsBase::test_one_exception"))

S.append(scenario(
    "gather/return-exceptions", "return_exceptions=True puts exceptions in the result list",
    ["gather", "exceptions"],
    [await_(aio("gather", coro("w", 1, 0.1), coro("bad", 0.2, "x"), coro("w", 3, 0), return_exceptions=True), "r"),
     trace("r", V("r"))], coroutines=W, provenance=TG + "GatherTestsBase::test_return_exceptions"))

S.append(scenario(
    "gather/cancel-outer", "cancelling the gather future cancels every child",
    ["gather", "cancellation"],
    [do(aio("gather", coro("w", 1, 1, label="c1"), coro("w", 2, 2, label="c2")), "g"), sleep(0.5),
     trace("cancel", m(V("g"), "cancel")), try_([await_(V("g"))], CATCH()), trace("g", m(V("g"), "cancelled"))],
    coroutines=W, provenance=TG + "CoroutineGatherTests::test_cancellation_broadcast"))

S.append(scenario(
    "gather/child-cancelled", "a child cancelled from outside: gather raises CancelledError",
    ["gather", "cancellation"],
    [task(coro("w", 1, 1), "a"), task(coro("w", 2, 0.2), "b"), do(loop("call_later", 0.1, fn("kill"), V("a"))),
     try_([await_(aio("gather", V("a"), V("b")), "r"), trace("r", V("r"))], CATCH()), trace("b", m(V("b"), "done"))],
    coroutines=W, functions={"kill": f(["t"], do(m(V("t"), "cancel")))},
    provenance=TG + "FutureGatherTests::test_one_cancellation"))

S.append(scenario(
    "gather/child-cancelled-return-exceptions", "with return_exceptions a cancelled child appears as a CancelledError",
    ["gather", "cancellation"],
    [task(coro("w", 1, 1), "a"), task(coro("w", 2, 0.2), "b"), do(loop("call_later", 0.1, fn("kill"), V("a"))),
     await_(aio("gather", V("a"), V("b"), return_exceptions=True), "r"), trace("r", V("r"))],
    coroutines=W, functions={"kill": f(["t"], do(m(V("t"), "cancel", "k")))},
    provenance=TG + "FutureGatherTests::test_result_exception_one_cancellation"))

S.append(scenario(
    "gather/futures-and-coros", "gather mixes futures, tasks and coroutines",
    ["gather", "futures"],
    [do(loop("create_future"), "fut"), do(loop("call_later", 0.1, fn("res"), V("fut"))), task(coro("w", "t", 0.2), "t"),
     await_(aio("gather", V("fut"), V("t"), coro("w", "c", 0)), "r"), trace("r", V("r"))],
    coroutines=W, functions={"res": f(["f"], do(m(V("f"), "set_result", "f")))},
    provenance=TG + "FutureGatherTests::test_constructor_heterogenous_futures"))

S.append(scenario(
    "gather/duplicate-awaitable", "the same task twice: one child, its result twice",
    ["gather"], [task(coro("w", 1, 0.1), "t"), await_(aio("gather", V("t"), V("t")), "r"), trace("r", V("r"))],
    coroutines=W, provenance=TG + "CoroutineGatherTests::test_duplicate_coroutines"))

S.append(scenario(
    "gather/children-start-order", "coroutine children become tasks that start in argument order",
    ["gather", "tasks"],
    [await_(aio("gather", *[coro("w", i, 0, label=f"c{i}") for i in range(4)]))], coroutines=W))

S.append(scenario(
    "gather/nested", "gathers of gathers flatten nothing: results nest",
    ["gather"],
    [await_(aio("gather", aio("gather", coro("w", 1, 0.1), coro("w", 2, 0)), coro("w", 3, 0.05)), "r"), trace("r", V("r"))],
    coroutines=W))

S.append(scenario(
    "gather/all-fail", "several failures: the first to happen propagates",
    ["gather", "exceptions"],
    [try_([await_(aio("gather", coro("bad", 0.3, "third"), coro("bad", 0.1, "first"), coro("bad", 0.2, "second")))],
          CATCH("ValueError")), sleep(1)], coroutines=W))

S.append(scenario(
    "gather/cancel-after-done", "cancel() on a finished gather returns False",
    ["gather", "cancellation"],
    [do(aio("gather", coro("w", 1, 0)), "g"), await_(V("g"), "r"), trace("cancel", m(V("g"), "cancel"), V("r"))],
    coroutines=W))

S.append(scenario(
    "gather/outer-task-cancelled", "cancelling the task awaiting gather cancels the children",
    ["gather", "cancellation"],
    [task(coro("g2"), "outer"), sleep(0.1), do(m(V("outer"), "cancel")), try_([await_(V("outer"))], CATCH()), sleep(1)],
    coroutines={**W, "g2": co([], await_(aio("gather", coro("w", 1, 1, label="c1"), coro("w", 2, 2, label="c2"))))},
    provenance=TG + "BaseTaskTests::test_cancel_gather_1"))

S.append(scenario(
    "gather/exception-then-cancel-rest", "after the first exception, cancelling the remaining children by hand",
    ["gather", "exceptions", "cancellation"],
    [task(coro("w", 1, 1), "a"), task(coro("bad", 0.1, "boom"), "b"),
     try_([await_(aio("gather", V("a"), V("b")))], except_("ValueError", trace("caught", V("e")), do(m(V("a"), "cancel")), as_="e")),
     sleep(0), trace("a", m(V("a"), "cancelled"))], coroutines=W))

S.append(scenario(
    "gather/child-catches-cancel", "a child that swallows the broadcast cancellation: gather still ends cancelled",
    ["gather", "cancellation"],
    [do(aio("gather", coro("stubborn"), coro("w", 2, 1)), "g"), sleep(0.1), do(m(V("g"), "cancel")),
     try_([await_(V("g"), "r"), trace("r", V("r"))], CATCH())],
    coroutines={**W, "stubborn": co([], try_([sleep(1)], except_("CancelledError", trace("swallowed"))), ret("kept"))}))
SCENARIOS = S
