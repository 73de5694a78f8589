from dsl import *

AREA = "tasks"
DESCRIPTION = "create_task, task steps and their interleaving, results, names, current_task, task done callbacks"
TT = "test_asyncio/test_tasks.py::BaseTaskTests::"
S = []


def catch(expr, label="err"):
    return try_([do(expr, "v"), trace("ok", V("v"))], except_([], trace(label, V("e")), as_="e"))


S.append(scenario(
    "tasks/lazy-start", "create_task does not run the coroutine: it starts on the next loop iteration",
    ["tasks"], [task(coro("w"), "t"), trace("created"), sleep(0), trace("after")],
    coroutines={"w": co([], trace("running"))},
    provenance="docs: asyncio.create_task: Wrap the coro coroutine into a Task and schedule its execution"))

S.append(scenario(
    "tasks/start-order", "tasks start in creation order",
    ["tasks"], [task(coro("w", i, label=f"t{i}")) for i in range(4)] + [sleep(0)],
    coroutines={"w": co(["n"], trace("hi", V("n")))}))

S.append(scenario(
    "tasks/await-result", "awaiting a task returns its result",
    ["tasks"], [task(coro("add", 2, 3), "t"), await_(V("t"), "r"), trace("r", V("r"), m(V("t"), "result"))],
    coroutines={"add": co(["a", "b"], sleep(0.1), ret(op("add", V("a"), V("b"))))},
    provenance=TT + "test_task_basics"))

S.append(scenario(
    "tasks/await-exception", "awaiting a task that raised re-raises its exception",
    ["tasks", "exceptions"],
    [task(coro("bad"), "t"), try_([await_(V("t"))], except_("ValueError", trace("caught", V("e")), as_="e")),
     trace("exception", m(V("t"), "exception"))],
    coroutines={"bad": co([], sleep(0), raise_(exc("ValueError", "task failed")))}))

S.append(scenario(
    "tasks/interleave-sleep0", "two tasks alternating with sleep(0)",
    ["tasks", "sleep"], [task(coro("ping", "a"), "a"), task(coro("ping", "b"), "b"), await_(V("a")), await_(V("b"))],
    coroutines={"ping": co(["who"], for_("i", rng(3), trace("step", V("i")), sleep(0)))},
    provenance=TT + "test_current_task_with_interleaving_tasks"))

S.append(scenario(
    "tasks/nested-await-inline", "awaiting a coroutine runs it inline, in the same task and the same step",
    ["tasks"], [task(coro("outer"), "t"), do(loop("call_soon", fn("cb"))), await_(V("t"))],
    coroutines={"outer": co([], trace("before"), await_(coro("inner", 1), "r"), trace("after", V("r"))),
                "inner": co(["x"], trace("inner"), ret(op("mul", V("x"), 10)))},
    functions={"cb": NOOP0}))

S.append(scenario(
    "tasks/deep-nesting", "a chain of five nested coroutine awaits returns through every frame",
    ["tasks"], [await_(coro("deep", 5), "r"), trace("r", V("r"))],
    coroutines={"deep": co(["n"], if_(op("eq", V("n"), 0), [sleep(0), ret(0)]),
                           await_(coro("deep", op("sub", V("n"), 1)), "r"), ret(op("add", V("r"), V("n"))))}))

S.append(scenario(
    "tasks/name", "create_task(name=) sets the name; set_name changes it",
    ["tasks"],
    [task(coro("w"), "worker"), trace("name", m(V("worker"), "get_name")), do(m(V("worker"), "set_name", "renamed")),
     trace("name", m(V("worker"), "get_name")), await_(V("worker"))],
    coroutines={"w": co([], trace("in"))}, provenance=TT + "test_bare_create_named_task"))

S.append(scenario(
    "tasks/current-task", "current_task() is the task running the code",
    ["tasks"],
    [task(coro("w"), "t"), await_(V("t"), "me"), trace("same", op("is", V("me"), V("t"))),
     trace("main", op("is", aio("current_task"), V("t")))],
    coroutines={"w": co([], ret(aio("current_task")))}, provenance=TT + "test_current_task"))

S.append(scenario(
    "tasks/current-task-in-callback", "current_task() is None in a plain callback",
    ["tasks", "callbacks"], [do(loop("call_soon", fn("cb"))), sleep(0)],
    functions={"cb": f([], trace("current", aio("current_task")))}))

S.append(scenario(
    "tasks/done-callback", "a task's done callbacks run after it finishes, in order",
    ["tasks", "done-callbacks"],
    [task(coro("w"), "t"), do(m(V("t"), "add_done_callback", fn("cb1"))), do(m(V("t"), "add_done_callback", fn("cb2"))),
     await_(V("t")), trace("awaited"), sleep(0)],
    coroutines={"w": co([], sleep(0.1), ret("r"))},
    functions={"cb1": f(["t"], trace("result", m(V("t"), "result"))), "cb2": f(["t"], PASS)}))

S.append(scenario(
    "tasks/await-done-task", "awaiting an already finished task returns at once",
    ["tasks"], [task(coro("w"), "t"), sleep(0), sleep(0), trace("done", m(V("t"), "done")), await_(V("t"), "r"), trace("r", V("r"))],
    coroutines={"w": co([], ret(7))}))

S.append(scenario(
    "tasks/await-task-twice", "two tasks awaiting one task both get its result",
    ["tasks"],
    [task(coro("slow"), "s"), task(coro("waiter", V("s"), label="a")), task(coro("waiter", V("s"), label="b")),
     sleep(1)],
    coroutines={"slow": co([], sleep(0.5), ret("x")), "waiter": co(["t"], await_(V("t"), "r"), trace("got", V("r")))}))

S.append(scenario(
    "tasks/many-sleepers", "ten tasks sleeping 0.1 * (10 - i) wake in reverse creation order",
    ["tasks", "sleep", "timers"],
    [for_("i", rng(10), task(coro("sl", V("i"), label="s"))), sleep(2)],
    coroutines={"sl": co(["i"], sleep(op("mul", 0.1, op("sub", 10, V("i")))), trace("woke", V("i")))}))

S.append(scenario(
    "tasks/return-tuple", "a task's result keeps tuples and lists apart",
    ["tasks"], [await_(aio("create_task", coro("w")), "r"), trace("r", V("r"))],
    coroutines={"w": co([], ret(tup(1, [2, tup(3)], None, True, "s", 0.5)))}))

S.append(scenario(
    "tasks/task-creates-task", "a task creating another: the child starts on the next iteration",
    ["tasks"], [task(coro("parent"), "p"), await_(V("p")), sleep(0)],
    coroutines={"parent": co([], task(coro("child"), "c"), trace("spawned"), sleep(0), trace("parent again"), await_(V("c"))),
                "child": co([], trace("child running"))}))

S.append(scenario(
    "tasks/exception-never-awaited", "a task whose exception nobody retrieves: the run goes on (the GC warning is not traced)",
    ["tasks", "exceptions"], [task(coro("bad"), "t"), sleep(0), sleep(0), trace("done", m(V("t"), "done"))],
    coroutines={"bad": co([], raise_(exc("RuntimeError", "ignored")))}))

S.append(scenario(
    "tasks/ensure-future-coro", "ensure_future wraps a coroutine in a task and returns a future as is",
    ["tasks", "futures"],
    [do(aio("ensure_future", coro("w")), "t"), do(loop("create_future"), "fut"),
     trace("same", op("is", aio("ensure_future", V("fut")), V("fut"))), await_(V("t"), "r"), trace("r", V("r"))],
    coroutines={"w": co([], ret("w"))}))

S.append(scenario(
    "tasks/all-tasks", "all_tasks() lists the pending tasks, main included",
    ["tasks"],
    [task(coro("w"), "a"), task(coro("w"), "b"), sleep(0), trace("all", aio("all_tasks")), await_(V("a")), await_(V("b")),
     trace("all", aio("all_tasks"))],
    coroutines={"w": co([], sleep(0.1))}))

S.append(scenario(
    "tasks/loop-create-task", "loop.create_task schedules like asyncio.create_task",
    ["tasks"], [do(loop("create_task", coro("w"), name="lt"), "lt"), await_(V("lt"), "r"), trace("r", V("r"))],
    coroutines={"w": co([], ret(1))}))

S.append(scenario(
    "tasks/result-before-done", "result() of a running task raises InvalidStateError",
    ["tasks", "exceptions"], [task(coro("w"), "t"), catch(m(V("t"), "result")), await_(V("t"))],
    coroutines={"w": co([], sleep(0.1))}))

S.append(scenario(
    "tasks/iscoroutine", "a scenario coroutine object is a coroutine; a task is not",
    ["tasks"], [do(coro("w"), "c"), trace("is", aio("iscoroutine", V("c"))), task(V("c"), "t"),
                trace("task", aio("iscoroutine", V("t"))), await_(V("t"))],
    coroutines={"w": co([], PASS)}))
SCENARIOS = S
