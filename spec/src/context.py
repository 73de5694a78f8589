from dsl import *

AREA = "context"
DESCRIPTION = "context variables across tasks, callbacks, Context.run and copies"
TC = "test_asyncio/test_context.py::DecimalContextTest::"
S = []
VAR = do(cv("ContextVar", "v", default="default"), "var")
GET = m(V("var"), "get")


def setv(x, as_=None):
    return do(m(V("var"), "set", x), as_)


S.append(scenario(
    "context/default", "get() returns the default until set",
    ["contextvars"], [VAR, trace("v", GET), setv("main"), trace("v", GET), trace("name", attr(V("var"), "name"))]))

S.append(scenario(
    "context/task-copies-context", "a task runs in a copy of the context current at create_task",
    ["contextvars", "tasks"],
    [VAR, setv("before"), task(coro("reader"), "t"), setv("after"), await_(V("t")), trace("main", GET)],
    coroutines={"reader": co([], trace("task sees", GET), setv("task"), trace("task set", GET))},
    provenance="docs: asyncio.create_task: An optional keyword-only context argument allows specifying a custom contextvars.Context"))

S.append(scenario(
    "context/task-isolation", "two tasks setting the same variable do not see each other",
    ["contextvars", "tasks"],
    [VAR, task(coro("w", "a"), "a"), task(coro("w", "b"), "b"), await_(V("a")), await_(V("b")), trace("main", GET)],
    coroutines={"w": co(["x"], setv(V("x")), sleep(0), trace("still", GET), sleep(0), trace("still", GET))},
    provenance=TC + "test_asyncio_task_decimal_context"))

S.append(scenario(
    "context/call-soon-context", "call_soon captures the current context; context= overrides it",
    ["contextvars", "callbacks"],
    [VAR, setv("at schedule"), do(loop("call_soon", fn("show"))), do(cv("copy_context"), "ctx"), setv("changed"),
     do(loop("call_soon", fn("show"), context=V("ctx"))), do(loop("call_soon", fn("show"))), sleep(0)],
    functions={"show": f([], trace("v", GET))}))

S.append(scenario(
    "context/callback-set-is-local", "a callback's set() does not leak out of its context",
    ["contextvars", "callbacks"],
    [VAR, do(loop("call_soon", fn("setter"))), sleep(0), trace("main", GET)],
    functions={"setter": f([], setv("in callback"), trace("cb", GET))}))

S.append(scenario(
    "context/context-run", "Context.run runs a function in that context, whose changes stay there",
    ["contextvars"],
    [VAR, do(cv("copy_context"), "ctx"), do(m(V("ctx"), "run", fn("setter")), "r"), trace("main", GET, V("r")),
     do(m(V("ctx"), "run", fn("getter")), "r2"), trace("again", V("r2"))],
    functions={"setter": f([], setv("inside"), ret(GET)), "getter": f([], ret(GET))}))

S.append(scenario(
    "context/reset-token", "reset(token) restores the previous value",
    ["contextvars"], [VAR, setv("one", "tok1"), setv("two", "tok2"), do(m(V("var"), "reset", V("tok2"))), trace("v", GET),
                      do(m(V("var"), "reset", V("tok1"))), trace("v", GET)]))

S.append(scenario(
    "context/task-context-kwarg", "create_task(context=ctx) runs the task in ctx itself",
    ["contextvars", "tasks"],
    [VAR, do(cv("copy_context"), "ctx"), do(aio("create_task", coro("w"), context=V("ctx")), "t"), await_(V("t")),
     trace("main", GET), do(m(V("ctx"), "run", fn("getter")), "r"), trace("ctx", V("r"))],
    coroutines={"w": co([], setv("from task"))}, functions={"getter": f([], ret(GET))}))

S.append(scenario(
    "context/done-callback-context", "a done callback runs in the context current when it was added, not the task's",
    ["contextvars", "done-callbacks"],
    [VAR, task(coro("w"), "t"), do(m(V("t"), "add_done_callback", fn("cb"))), await_(V("t")), sleep(0)],
    coroutines={"w": co([], setv("task value"))}, functions={"cb": f(["t"], trace("cb sees", GET))}))

S.append(scenario(
    "context/gather-children", "gather's children each get a copy of the caller's context",
    ["contextvars", "gather"],
    [VAR, setv("parent"), await_(aio("gather", coro("w", 1), coro("w", 2)), "r"), trace("r", V("r"), GET)],
    coroutines={"w": co(["n"], trace("sees", GET), setv(V("n")), ret(GET))}))

S.append(scenario(
    "context/taskgroup-children", "TaskGroup children inherit the context current at create_task",
    ["contextvars", "taskgroup"],
    [VAR, setv("outer"), with_(aio("TaskGroup"), do(m(V("tg"), "create_task", coro("w"))), setv("changed"),
                                do(m(V("tg"), "create_task", coro("w"))), as_="tg")],
    coroutines={"w": co([], trace("sees", GET))}, provenance="test_asyncio/test_taskgroups.py::TestTaskGroup::test_taskgroup_task_context"))

S.append(scenario(
    "context/timer-context", "call_later keeps the context of the caller",
    ["contextvars", "timers"],
    [VAR, task(coro("w"), "t"), await_(V("t")), sleep(1)],
    coroutines={"w": co([], setv("task"), do(loop("call_later", 0.5, fn("show"))))},
    functions={"show": f([], trace("v", GET))}))

S.append(scenario(
    "context/nested-await-shares", "an awaited coroutine shares its task's context",
    ["contextvars"], [VAR, await_(coro("setter")), trace("main sees", GET)],
    coroutines={"setter": co([], setv("by nested coroutine"))}))

S.append(scenario(
    "context/run-in-running-context", "Context.run of the context that is running is a RuntimeError",
    ["contextvars", "exceptions"],
    [VAR, do(cv("copy_context"), "ctx"), do(m(V("ctx"), "run", fn("reenter")))],
    functions={"reenter": f([], try_([do(m(V("ctx"), "run", fn("noop")))],
                                     except_("RuntimeError", trace("caught RuntimeError")))), "noop": NOOP0}))
SCENARIOS = S
