from dsl import *

AREA = "taskgroups"
DESCRIPTION = "asyncio.TaskGroup: waiting for children, failures, cancellation, nesting, ExceptionGroup"
TG = "test_asyncio/test_taskgroups.py::TestTaskGroup::"
S = []
W = {"w": co(["n", "d"], sleep(V("d")), trace("done", V("n")), ret(V("n"))),
     "bad": co(["d", "msg"], sleep(V("d")), raise_(exc("ValueError", V("msg")))),
     "guarded": co(["n", "d"], try_([sleep(V("d"))], except_("CancelledError", trace("cancelled", V("n")), raise_())), ret(V("n")))}
EG = except_("ExceptionGroup", trace("group", V("e")), as_="e")
CX = except_("CancelledError", trace("cancelled", V("e")), as_="e")


def spawn(c, name, tg="tg"):
    return do(m(V(tg), "create_task", c, name=name), name)


S.append(scenario(
    "taskgroups/waits-for-all", "the block exits when every child is done",
    ["taskgroup"],
    [with_(aio("TaskGroup"), spawn(coro("w", 1, 0.2), "a"), spawn(coro("w", 2, 0.1), "b"), trace("body done"), as_="tg"),
     trace("exited", loop("time"), m(V("a"), "result"), m(V("b"), "result"))],
    coroutines=W, provenance=TG + "test_taskgroup_01"))

S.append(scenario(
    "taskgroups/child-fails", "a failing child cancels its siblings; the group raises an ExceptionGroup",
    ["taskgroup", "exception-group", "cancellation"],
    [try_([with_(aio("TaskGroup"), spawn(coro("guarded", 1, 1), "a"), spawn(coro("bad", 0.1, "boom"), "b"), as_="tg")], EG),
     trace("a", m(V("a"), "cancelled"))],
    coroutines=W, provenance=TG + "test_cancel_children_on_child_error"))

S.append(scenario(
    "taskgroups/two-fail", "two children fail at the same instant: both are in the group, in order",
    ["taskgroup", "exception-group"],
    [try_([with_(aio("TaskGroup"), spawn(coro("bad", 0.1, "one"), "a"), spawn(coro("bad", 0.1, "two"), "b"),
                 spawn(coro("guarded", 3, 1), "c"), as_="tg")], EG)],
    coroutines=W, provenance=TG + "test_taskgroup_07"))

S.append(scenario(
    "taskgroups/body-raises", "the body raising cancels the children; the error comes out in an ExceptionGroup",
    ["taskgroup", "exception-group"],
    [try_([with_(aio("TaskGroup"), spawn(coro("guarded", 1, 1), "a"), sleep(0.1), raise_(exc("RuntimeError", "body")), as_="tg")],
          EG)], coroutines=W, provenance=TG + "test_taskgroup_08"))

S.append(scenario(
    "taskgroups/parent-cancelled", "cancelling the task running the group cancels children; CancelledError propagates",
    ["taskgroup", "cancellation"],
    [task(coro("group_runner"), "r"), sleep(0.1), do(m(V("r"), "cancel")), try_([await_(V("r"))], CX)],
    # TaskGroup cancels its children in set order: only one child may leave a trace
    coroutines={**W, "group_runner": co([], with_(aio("TaskGroup"), spawn(coro("guarded", 1, 1), "a"), spawn(aio("sleep", 2), "b"),
                                            sleep(10), as_="tg"))},
    provenance=TG + "test_cancellation"))

S.append(scenario(
    "taskgroups/parent-cancelled-while-exiting", "cancel lands while __aexit__ waits for the children",
    ["taskgroup", "cancellation"],
    [task(coro("group_runner"), "r"), sleep(0.1), do(m(V("r"), "cancel")), try_([await_(V("r"))], CX)],
    coroutines={**W, "group_runner": co([], with_(aio("TaskGroup"), spawn(coro("guarded", 1, 1), "a"), as_="tg"))},
    provenance=TG + "test_taskgroup_09"))

S.append(scenario(
    "taskgroups/nested-inner-fails", "an inner group's failure becomes a nested ExceptionGroup in the outer one",
    ["taskgroup", "exception-group"],
    [try_([with_(aio("TaskGroup"), spawn(coro("inner_group"), "ig", "outer"), spawn(coro("guarded", 9, 1), "o9", "outer"),
                 as_="outer")], EG)],
    coroutines={**W, "inner_group": co([], with_(aio("TaskGroup"), spawn(coro("bad", 0.1, "deep"), "d"), as_="tg"))},
    provenance=TG + "test_taskgroup_11"))

S.append(scenario(
    "taskgroups/nested-outer-cancel", "cancelling the outer group's task cancels through the inner group",
    ["taskgroup", "cancellation"],
    [task(coro("group_runner"), "r"), sleep(0.1), do(m(V("r"), "cancel")), try_([await_(V("r"))], CX)],
    coroutines={**W,
                "group_runner": co([], with_(aio("TaskGroup"), spawn(coro("inner_group"), "ig", "outer"), as_="outer")),
                "inner_group": co([], with_(aio("TaskGroup"), spawn(coro("guarded", 1, 1), "x"), as_="tg"))},
    provenance=TG + "test_taskgroup_12"))

S.append(scenario(
    "taskgroups/create-after-exit", "create_task on a finished group is a RuntimeError (the coroutine is closed)",
    ["taskgroup", "exceptions"],
    [with_(aio("TaskGroup"), as_="tg"),
     try_([do(m(V("tg"), "create_task", coro("w", 1, 0)))], except_("RuntimeError", trace("caught", V("e")), as_="e"))],
    coroutines=W, provenance=TG + "test_taskgroup_finished"))

S.append(scenario(
    "taskgroups/create-after-failure", "create_task after a child failed is a RuntimeError",
    ["taskgroup", "exceptions", "exception-group"],
    [try_([with_(aio("TaskGroup"), spawn(coro("bad", 0, "x"), "b"),
                 try_([sleep(1)], except_("CancelledError",
                                          try_([do(m(V("tg"), "create_task", coro("w", 1, 0)))],
                                               except_("RuntimeError", trace("caught", V("e")), as_="e")),
                                          raise_())),
                 as_="tg")], EG)],
    coroutines=W, provenance=TG + "test_taskgroup_no_create_task_after_failure"))

S.append(scenario(
    "taskgroups/double-enter", "entering a group twice is a RuntimeError",
    ["taskgroup", "exceptions"],
    [do(aio("TaskGroup"), "tg"), with_(V("tg"), try_([with_(V("tg"))], except_("RuntimeError", trace("caught", V("e")), as_="e")))],
    provenance=TG + "test_taskgroup_double_enter"))

S.append(scenario(
    "taskgroups/not-entered", "create_task on a group never entered is a RuntimeError",
    ["taskgroup", "exceptions"],
    [do(aio("TaskGroup"), "tg"), try_([do(m(V("tg"), "create_task", coro("w", 1, 0)))],
                                      except_("RuntimeError", trace("caught", V("e")), as_="e"))],
    coroutines=W, provenance=TG + "test_taskgroup_not_entered"))

S.append(scenario(
    "taskgroups/task-name", "create_task(name=) names the child",
    ["taskgroup", "tasks"],
    [with_(aio("TaskGroup"), spawn(coro("w", 1, 0), "named"), trace("name", m(V("named"), "get_name")), as_="tg")],
    coroutines=W, provenance=TG + "test_taskgroup_task_name"))

S.append(scenario(
    "taskgroups/child-swallows-cancel", "a child that ignores the cancellation keeps the group waiting",
    ["taskgroup", "cancellation", "exception-group"],
    [try_([with_(aio("TaskGroup"), spawn(coro("stubborn"), "s"), spawn(coro("bad", 0.1, "x"), "b"), as_="tg")], EG),
     trace("end", loop("time"))],
    coroutines={**W, "stubborn": co([], try_([sleep(1)], except_("CancelledError", trace("ignoring"))), sleep(0.5),
                                    trace("stubborn done"))},
    provenance=TG + "test_taskgroup_13"))

S.append(scenario(
    "taskgroups/child-cancelled-alone", "a child cancelled from outside does not fail the group",
    ["taskgroup", "cancellation"],
    [with_(aio("TaskGroup"), spawn(coro("guarded", 1, 1), "a"), spawn(coro("w", 2, 0.2), "b"),
           do(loop("call_later", 0.1, fn("kill"), V("a"))), as_="tg"),
     trace("a", m(V("a"), "cancelled"), m(V("b"), "result"))],
    coroutines=W, functions={"kill": f(["t"], do(m(V("t"), "cancel")))}))

S.append(scenario(
    "taskgroups/body-raises-cancelled", "the body's own CancelledError with a failing child",
    ["taskgroup", "cancellation", "exception-group"],
    [task(coro("group_runner"), "r"), sleep(0.05), do(m(V("r"), "cancel")),
     try_([await_(V("r"))], CX, EG)],
    coroutines={**W, "group_runner": co([], with_(aio("TaskGroup"), spawn(coro("bad", 0.1, "late"), "b"), sleep(1), as_="tg"))},
    provenance=TG + "test_taskgroup_15"))

S.append(scenario(
    "taskgroups/baseexception-child", "a child raising KeyboardInterrupt: the group re-raises it bare",
    ["taskgroup", "exceptions"],
    [try_([with_(aio("TaskGroup"), spawn(coro("kbi"), "k"), spawn(coro("guarded", 1, 1), "a"), as_="tg")],
          except_("KeyboardInterrupt", trace("kbi", V("e")), as_="e"))],
    coroutines={**W, "kbi": co([], sleep(0.1), raise_(exc("KeyboardInterrupt", "stop")))},
    provenance=TG + "test_taskgroup_20"))
S.pop()  # KeyboardInterrupt in a task also stops the loop (Task.__step re-raises it): out of scope here

S.append(scenario(
    "taskgroups/empty", "an empty group exits at once",
    ["taskgroup"], [with_(aio("TaskGroup"), trace("in"), as_="tg"), trace("out", loop("time"))]))

S.append(scenario(
    "taskgroups/results-order", "children finishing in any order; results read after the block",
    ["taskgroup"],
    [with_(aio("TaskGroup"), *[spawn(coro("w", i, 0.1 * (3 - i)), f"c{i}") for i in range(3)], as_="tg"),
     trace("results", *[m(V(f"c{i}"), "result") for i in range(3)])], coroutines=W))

S.append(scenario(
    "taskgroups/spawn-from-child", "a child adds another child to the group while it runs",
    ["taskgroup", "tasks"],
    [with_(aio("TaskGroup"), spawn(coro("spawner"), "sp"), as_="tg"), trace("exited", loop("time"))],
    coroutines={**W, "spawner": co([], sleep(0.1), do(m(V("tg"), "create_task", coro("w", "late", 0.2), name="late")))}))

S.append(scenario(
    "taskgroups/cancelling-after-failure", "the parent's cancelling() count after the group handled a failure",
    ["taskgroup", "cancelling", "exception-group"],
    [try_([with_(aio("TaskGroup"), spawn(coro("bad", 0.1, "x"), "b"), sleep(1), as_="tg")], EG),
     trace("cancelling", m(aio("current_task"), "cancelling")), sleep(0.1), trace("still alive")],
    coroutines=W, provenance=TG + "test_taskgroup_19"))

S.append(scenario(
    "taskgroups/failure-during-exit-wait", "a child fails while __aexit__ waits: siblings cancelled",
    ["taskgroup", "exception-group", "cancellation"],
    [try_([with_(aio("TaskGroup"), spawn(coro("guarded", 1, 1), "a"), spawn(coro("bad", 0.2, "late"), "b"), as_="tg")], EG),
     trace("end", loop("time"))], coroutines=W, provenance=TG + "test_taskgroup_10"))

S.append(scenario(
    "taskgroups/exception-and-cancel-in-child", "a child that raises while being cancelled",
    ["taskgroup", "exception-group", "cancellation"],
    [try_([with_(aio("TaskGroup"), spawn(coro("raiser"), "r"), spawn(coro("bad", 0.1, "first"), "b"), as_="tg")], EG)],
    coroutines={**W, "raiser": co([], try_([sleep(1)], except_("CancelledError", raise_(exc("RuntimeError", "during cancel")))))},
    provenance=TG + "test_taskgroup_14"))
SCENARIOS = S
