from dsl import *

AREA = "errors"
DESCRIPTION = "exception propagation through coroutines and tasks, ExceptionGroup, the runner's outcome, the loop's exception handler"
S = []
ERR = lambda t: except_(t, trace("caught", V("e")), as_="e")  # noqa: E731

S.append(scenario(
    "errors/through-nested-awaits", "an exception unwinds nested coroutines, running each finally",
    ["exceptions"],
    [try_([await_(coro("level", 3))], ERR("ValueError"))],
    coroutines={"level": co(["n"], try_([if_(op("eq", V("n"), 0), [sleep(0), raise_(exc("ValueError", "deep"))]),
                                          await_(coro("level", op("sub", V("n"), 1)))],
                                         finally_=[trace("finally", V("n"))]))}))

S.append(scenario(
    "errors/main-raises", "main raising: the runner reports the exception; pending tasks are cancelled",
    ["exceptions", "runner"],
    [task(coro("bystander"), "b"), sleep(0), raise_(exc("RuntimeError", "main failed"))],
    coroutines={"bystander": co([], try_([sleep(10)], finally_=[trace("bystander cleanup")]))},
    provenance="test_asyncio/test_runners.py::RunTests::test_asyncio_run_raises"))

S.append(scenario(
    "errors/main-returns-value", "the runner returns main's result",
    ["runner"], [ret(tup("result", 1))], provenance="test_asyncio/test_runners.py::RunTests::test_asyncio_run_return"))

S.append(scenario(
    "errors/except-order", "the first matching except clause handles the exception",
    ["exceptions"],
    [try_([raise_(exc("ValueError", "v"))], except_("TypeError", trace("type")), except_(["RuntimeError", "ValueError"], trace("rv", V("e")), as_="e"),
          except_("Exception", trace("exception")))]))

S.append(scenario(
    "errors/bare-reraise", "a bare raise re-raises the exception being handled",
    ["exceptions"],
    [try_([try_([raise_(exc("ValueError", "orig"))], except_("ValueError", trace("handling"), raise_()))], ERR("ValueError"))]))

S.append(scenario(
    "errors/replace-in-except", "raising a new exception in an except clause replaces it",
    ["exceptions"],
    [try_([try_([raise_(exc("ValueError", "first"))], except_("ValueError", raise_(exc("RuntimeError", "second"))))], ERR("RuntimeError"))]))

S.append(scenario(
    "errors/finally-return-swallows", "return in finally discards the exception",
    ["exceptions"], [await_(coro("f"), "r"), trace("r", V("r"))],
    coroutines={"f": co([], try_([raise_(exc("ValueError", "lost"))], finally_=[ret("from finally")]))}))

S.append(scenario(
    "errors/else-clause", "else runs only when the try block raised nothing",
    ["exceptions"],
    [try_([trace("ok")], ERR("ValueError"), else_=[trace("else ran")]),
     try_([raise_(exc("ValueError", "x"))], ERR("ValueError"), else_=[trace("never")])]))

S.append(scenario(
    "errors/exception-group-shape", "an ExceptionGroup keeps its message and sub-exceptions",
    ["exception-group", "exceptions"],
    [try_([raise_(exc("ExceptionGroup", "several", [exc("ValueError", "a"), exc("TypeError", "b")]))], ERR("ExceptionGroup")),
     try_([raise_(exc("ExceptionGroup", "nested", [exc("ExceptionGroup", "inner", [exc("ValueError", "c")])]))], ERR("Exception"))]))

S.append(scenario(
    "errors/exception-group-task", "a task raising an ExceptionGroup: awaiting it re-raises the group",
    ["exception-group", "tasks"],
    [task(coro("eg"), "t"), try_([await_(V("t"))], ERR("ExceptionGroup")), trace("exception", m(V("t"), "exception"))],
    coroutines={"eg": co([], sleep(0), raise_(exc("ExceptionGroup", "from task", [exc("RuntimeError", "r")])))}))

S.append(scenario(
    "errors/base-exception-group", "BaseExceptionGroup with a CancelledError inside is not an Exception",
    ["exception-group", "exceptions"],
    [try_([try_([raise_(exc("BaseExceptionGroup", "base", [exc("CancelledError", "c")]))], except_("Exception", trace("wrong")))],
          ERR("BaseExceptionGroup"))]))

S.append(scenario(
    "errors/callback-exception-and-task", "a failing callback does not disturb a task running beside it",
    ["exceptions", "loop-exception-handler", "callbacks"],
    [task(coro("w"), "t"), do(loop("call_later", 0.05, fn("bad"))), await_(V("t"), "r"), trace("r", V("r"))],
    coroutines={"w": co([], sleep(0.1), ret("fine"))}, functions={"bad": f([], raise_(exc("ValueError", "cb")))}))

S.append(scenario(
    "errors/exception-in-shutdown", "a task that raises while the runner cancels it reaches the exception handler",
    ["exceptions", "runner", "loop-exception-handler", "cancellation"],
    [task(coro("rude"), "r"), sleep(0), trace("main ends")],
    coroutines={"rude": co([], try_([sleep(10)], except_("CancelledError", raise_(exc("RuntimeError", "during shutdown")))))},
    provenance="test_asyncio/test_runners.py::RunTests::test_asyncio_run_reports_hanging_tasks_errors"))

S.append(scenario(
    "errors/deadlock", "main awaits a future nobody resolves: the virtual loop reports a deadlock",
    ["deadlock", "runner", "futures"], [do(loop("create_future"), "fut"), trace("waiting"), await_(V("fut"))]))

S.append(scenario(
    "errors/deadlock-after-timers", "the deadlock is noticed only after the last timer has run",
    ["deadlock", "runner", "timers"],
    [do(loop("call_later", 5, fn("cb"))), do(loop("create_future"), "fut"), await_(V("fut"))],
    functions={"cb": NOOP0}))

S.append(scenario(
    "errors/cancelled-main-result", "main ending with CancelledError: the runner re-raises it",
    ["runner", "cancellation"], [do(m(aio("current_task"), "cancel")), sleep(0)],
    provenance="test_asyncio/test_runners.py::RunTests::test_asyncio_run_cancels_hanging_tasks"))

S.append(scenario(
    "errors/value-error-args", "exception messages: several arguments, none, a number",
    ["exceptions"],
    [try_([raise_(exc("ValueError"))], ERR("ValueError")), try_([raise_(exc("ValueError", 42))], ERR("ValueError")),
     try_([raise_(exc("RuntimeError", "a", "b"))], ERR("RuntimeError"))]))
S.append(scenario(
    "errors/iteration-limit", "a task that never stops yielding: the run stops after 100 000 loop iterations",
    ["runner"], [task(coro("spin"), "spin"), await_(V("spin"))],
    coroutines={"spin": co([], while_(True, sleep(0)))}))
for kind in ("KeyboardInterrupt", "SystemExit"):
    S.append(scenario(
        f"errors/{kind.lower()}-in-task", f"{kind} raised in a task leaves the loop at once; asyncio.run then cancels the rest",
        ["exceptions", "runner", "cancellation"],
        [task(coro("k"), "k"), task(coro("other"), "o"), try_([await_(V("o"))], finally_=[trace("main finally")])],
        coroutines={"k": co([], sleep(0.1), raise_(exc(kind, "stop"))),
                    "other": co([], try_([sleep(1)], finally_=[trace("other finally", loop("time"))]))},
        provenance="test_asyncio/test_tasks.py::BaseTaskTests::test_baseexception_during_cancel"))
SCENARIOS = S
