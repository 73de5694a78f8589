from dsl import *

AREA = "callbacks"
DESCRIPTION = "loop.call_soon: FIFO order, batches per iteration, handle cancel, errors"
TB = "test_asyncio/test_base_events.py::BaseEventLoopTests::"
S = []

S.append(scenario(
    "callbacks/call-soon-fifo", "call_soon callbacks run in the order they were scheduled",
    ["callbacks"], [do(loop("call_soon", fn("cb"), i)) for i in range(5)] + [sleep(0)],
    functions={"cb": NOOP}, provenance="docs: loop.call_soon: callbacks are called in the order in which they are registered"))

S.append(scenario(
    "callbacks/call-soon-args", "positional arguments reach the callback; the return value is ignored",
    ["callbacks"], [do(loop("call_soon", fn("cb"), 1, "two", [3], tup(4, 5))), sleep(0)],
    functions={"cb": f(["a", "b", "c", "d"], trace("args", V("a"), V("b"), V("c"), V("d")), ret(99))},
    provenance=TB + "test_call_soon"))

S.append(scenario(
    "callbacks/batch-next-iteration", "a callback scheduled by a running callback waits for the next iteration",
    ["callbacks"], [do(loop("call_soon", fn("a"))), do(loop("call_soon", fn("b"))), sleep(0), sleep(0)],
    functions={"a": f([], do(loop("call_soon", fn("c")))), "b": NOOP0, "c": NOOP0},
    provenance=TB + "test__run_once_schedule_handle"))

S.append(scenario(
    "callbacks/soon-later0-soon", "call_soon(A); call_later(0, B); call_soon(C) runs A C B: timers join the ready queue after it",
    ["callbacks", "timers"],
    [do(loop("call_soon", fn("cb"), "A")), do(loop("call_later", 0, fn("cb"), "B")),
     do(loop("call_soon", fn("cb"), "C")), sleep(0), sleep(0)],
    functions={"cb": NOOP}, provenance="base_events.BaseEventLoop._run_once: due timers are appended to _ready"))

S.append(scenario(
    "callbacks/handle-cancel", "a cancelled handle never runs; cancelled() reports it",
    ["callbacks", "handles"],
    [do(loop("call_soon", fn("cb"), 1), "h1"), do(loop("call_soon", fn("cb"), 2), "h2"),
     do(m(V("h1"), "cancel")), trace("cancelled", m(V("h1"), "cancelled"), m(V("h2"), "cancelled")), sleep(0)],
    functions={"cb": NOOP}, provenance=TB + "test__add_callback_cancelled_handle"))

S.append(scenario(
    "callbacks/cancel-later-in-batch", "a callback cancels one that is already in the same ready batch",
    ["callbacks", "handles"],
    [do(loop("call_soon", fn("killer")), "hk"), do(loop("call_soon", fn("cb"), "victim"), "victim"),
     do(loop("call_soon", fn("cb"), "other")), sleep(0)],
    functions={"killer": f([], do(m(V("victim"), "cancel"))), "cb": NOOP},
    provenance="base_events.BaseEventLoop._run_once: 'if handle._cancelled: continue'"))

S.append(scenario(
    "callbacks/cancel-after-run", "cancelling a handle after it ran is harmless",
    ["callbacks", "handles"],
    [do(loop("call_soon", fn("cb"), 1), "h"), sleep(0), do(m(V("h"), "cancel")),
     trace("cancelled", m(V("h"), "cancelled"))],
    functions={"cb": NOOP}, provenance="test_asyncio/test_events.py::HandleTests::test_handle"))

S.append(scenario(
    "callbacks/exception-goes-to-handler", "an exception in a callback goes to the loop's exception handler and the loop goes on",
    ["callbacks", "loop-exception-handler", "exceptions"],
    [do(loop("call_soon", fn("bad"))), do(loop("call_soon", fn("good"))), sleep(0), trace("after")],
    functions={"bad": f([], raise_(exc("ValueError", "oops"))), "good": NOOP0},
    provenance=TB + "test_default_exc_handler_callback"))

S.append(scenario(
    "callbacks/interleave-with-task", "a task's step and callbacks share the FIFO ready queue",
    ["callbacks", "tasks"],
    [do(loop("call_soon", fn("cb"), 1)), task(coro("w"), "w"), do(loop("call_soon", fn("cb"), 2)),
     sleep(0), sleep(0), sleep(0)],
    coroutines={"w": co([], trace("step1"), sleep(0), trace("step2"))},
    functions={"cb": NOOP}, provenance="DESIGN.md: batches"))

S.append(scenario(
    "callbacks/chain-depth", "a callback that reschedules itself runs once per loop iteration",
    ["callbacks"],
    [do(loop("call_soon", fn("tick"), 0)), do(loop("call_soon", fn("cb"), "x")), sleep(0), sleep(0), sleep(0), sleep(0)],
    functions={"tick": f(["n"], if_(op("lt", V("n"), 3), [do(loop("call_soon", fn("tick"), op("add", V("n"), 1)))])),
               "cb": NOOP}, provenance=TB + "test_run_once"))

S.append(scenario(
    "callbacks/call-soon-from-task", "callbacks scheduled from a task's step run after the other ready handles",
    ["callbacks", "tasks"],
    [task(coro("w", "a"), "a"), task(coro("w", "b"), "b"), sleep(0), sleep(0)],
    coroutines={"w": co(["n"], do(loop("call_soon", fn("cb"), V("n"))), trace("scheduled"))},
    functions={"cb": NOOP}))

S.append(scenario(
    "callbacks/sleep0-vs-callback", "sleep(0) yields exactly one iteration: callbacks scheduled before it run first",
    ["callbacks", "sleep"],
    [do(loop("call_soon", fn("cb"), 1)), sleep(0), trace("back"), do(loop("call_soon", fn("cb"), 2)), sleep(0), trace("back2")],
    functions={"cb": NOOP}, provenance="docs: asyncio.sleep: setting the delay to 0 provides an optimized path to allow other tasks to run"))

S.append(scenario(
    "callbacks/exception-then-more", "several failing callbacks each reach the handler, in order",
    ["callbacks", "loop-exception-handler", "exceptions"],
    [do(loop("call_soon", fn("bad"), 1)), do(loop("call_soon", fn("bad"), 2)), do(loop("call_soon", fn("bad"), 3)), sleep(0)],
    functions={"bad": f(["n"], raise_(exc("RuntimeError", V("n"))))}))

S.append(scenario(
    "callbacks/many-handles-cancelled", "cancelling every other one of 20 call_soon handles",
    ["callbacks", "handles"],
    [for_("i", rng(20), do(loop("call_soon", fn("cb"), V("i")), "h"),
          if_(op("eq", op("mod", V("i"), 2), 1), [do(m(V("h"), "cancel"))])),
     sleep(0)],
    functions={"cb": NOOP}))

S.append(scenario(
    "callbacks/cancel-own-handle-while-running", "a callback cancelling its own handle while it runs changes nothing",
    ["callbacks", "handles"],
    [do(loop("call_soon", fn("self_cancel")), "me"), sleep(0), trace("cancelled", m(V("me"), "cancelled"))],
    functions={"self_cancel": f([], do(m(V("me"), "cancel")), trace("still running"))}))

SCENARIOS = S
