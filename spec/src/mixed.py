from dsl import *

AREA = "mixed"
DESCRIPTION = "interactions: task groups with timeouts and queues, locks under cancellation, context in done callbacks"
S = []
CX = except_("CancelledError", trace("cancelled", V("e")), as_="e")
TO = except_("TimeoutError", trace("timeout", loop("time")))
EG = except_("ExceptionGroup", trace("group", V("e")), as_="e")


def spawn(c, name, tg="tg"):
    return do(m(V(tg), "create_task", c, name=name), name)


S.append(scenario(
    "mixed/taskgroup-in-timeout", "a timeout around a task group cancels the children and raises TimeoutError",
    ["taskgroup", "timeout", "cancellation"],
    [try_([with_(aio("timeout", 0.1), with_(aio("TaskGroup"), spawn(coro("slow", 1), "a"), as_="tg"))], TO),
     trace("a", m(V("a"), "cancelled")), trace("cancelling", m(aio("current_task"), "cancelling"))],
    coroutines={"slow": co(["d"], try_([sleep(V("d"))], finally_=[trace("slow finally")]))}))

S.append(scenario(
    "mixed/timeout-inside-child", "a child's own timeout does not disturb its group",
    ["taskgroup", "timeout"],
    [with_(aio("TaskGroup"), spawn(coro("bounded"), "b"), spawn(coro("plain"), "p"), as_="tg"), trace("done", loop("time"))],
    coroutines={"bounded": co([], try_([with_(aio("timeout", 0.05), sleep(1))], TO), ret("b")),
                "plain": co([], sleep(0.1), ret("p"))}))

S.append(scenario(
    "mixed/queue-workers-in-group", "worker tasks in a task group drain a queue; join() then cancel the workers by hand",
    ["taskgroup", "queue", "cancellation"],
    [do(aio("Queue"), "q"), for_("i", rng(5), do(m(V("q"), "put_nowait", V("i")))),
     with_(aio("TaskGroup"), spawn(coro("worker", "w1"), "w1"), spawn(coro("worker", "w2"), "w2"),
           await_(m(V("q"), "join")), trace("joined", loop("time")), do(m(V("w1"), "cancel")), do(m(V("w2"), "cancel")), as_="tg"),
     trace("end")],
    coroutines={"worker": co(["n"], while_(True, await_(m(V("q"), "get"), "x"), sleep(op("mul", 0.01, op("add", V("x"), 1))),
                                           trace("did", V("x")), do(m(V("q"), "task_done"))))}))

S.append(scenario(
    "mixed/lock-holder-cancelled", "a lock holder cancelled inside async with releases the lock to the next waiter",
    ["lock", "cancellation"],
    [do(aio("Lock"), "lock"), task(coro("holder"), "h"), task(coro("waiter"), "w"), sleep(0.05), do(m(V("h"), "cancel")),
     await_(V("w")), trace("locked", m(V("lock"), "locked"))],
    coroutines={"holder": co([], with_(V("lock"), trace("holding"), sleep(10))),
                "waiter": co([], with_(V("lock"), trace("waiter got it", loop("time"))))}))

S.append(scenario(
    "mixed/lock-acquire-timeout", "wait_for(lock.acquire(), t) times out and leaves the lock consistent",
    ["lock", "wait_for", "timeout"],
    [do(aio("Lock"), "lock"), await_(m(V("lock"), "acquire")),
     try_([await_(aio("wait_for", m(V("lock"), "acquire"), 0.1))], TO),
     do(m(V("lock"), "release")), trace("locked", m(V("lock"), "locked")), await_(m(V("lock"), "acquire"), "r"), trace("r", V("r"))]))

S.append(scenario(
    "mixed/event-wait-timeout", "wait_for(event.wait(), t) times out; a later set still wakes new waiters",
    ["event", "wait_for", "timeout"],
    [do(aio("Event"), "ev"), try_([await_(aio("wait_for", m(V("ev"), "wait"), 0.1))], TO),
     do(loop("call_later", 0.1, fn("setter"))), await_(m(V("ev"), "wait"), "r"), trace("r", V("r"), loop("time"))],
    functions={"setter": f([], do(m(V("ev"), "set")))}))

S.append(scenario(
    "mixed/semaphore-exception", "leaving async with semaphore by an exception releases it",
    ["semaphore", "exceptions"],
    [do(aio("Semaphore", 1), "sem"), try_([with_(V("sem"), raise_(exc("ValueError", "x")))], except_("ValueError", trace("caught"))),
     trace("locked", m(V("sem"), "locked"))]))

S.append(scenario(
    "mixed/barrier-async-with", "async with barrier as i binds the arrival index",
    ["barrier"],
    [do(aio("Barrier", 2), "bar"), task(coro("b", "x"), "x"), task(coro("b", "y"), "y"), sleep(0.1)],
    coroutines={"b": co(["n"], with_(V("bar"), trace("index", V("n"), V("i")), as_="i"))},
    provenance="test_asyncio/test_locks.py::BarrierTests::test_context_manager"))

S.append(scenario(
    "mixed/condition-wait-for-true", "wait_for(predicate) with a predicate already true returns without waiting",
    ["condition"],
    [do(aio("Condition"), "cond"), do(loop("call_soon", fn("cb"))),
     with_(V("cond"), await_(m(V("cond"), "wait_for", fn("yes")), "r"), trace("r", V("r")))],
    functions={"yes": f([], ret(True)), "cb": NOOP0}))

S.append(scenario(
    "mixed/done-callback-context-kwarg", "add_done_callback(fn, context=ctx) runs fn in ctx",
    ["contextvars", "done-callbacks", "futures"],
    [do(cv("ContextVar", "v", default="default"), "var"), do(cv("copy_context"), "ctx"),
     do(m(V("ctx"), "run", fn("setter"))), do(loop("create_future"), "fut"),
     do(m(V("fut"), "add_done_callback", fn("show"), context=V("ctx"))), do(m(V("fut"), "add_done_callback", fn("show"))),
     do(m(V("fut"), "set_result", 1)), sleep(0)],
    functions={"setter": f([], do(m(V("var"), "set", "in ctx"))), "show": f(["f"], trace("v", m(V("var"), "get")))}))

S.append(scenario(
    "mixed/shield-in-taskgroup", "a shielded coroutine in a failing group's child finishes anyway",
    ["shield", "taskgroup", "exception-group"],
    [try_([with_(aio("TaskGroup"), spawn(coro("guarded"), "g"), spawn(coro("bad"), "b"), as_="tg")], EG), sleep(1)],
    coroutines={"guarded": co([], try_([await_(aio("shield", coro("inner")))], CX)),
                "inner": co([], sleep(0.3), trace("inner done", loop("time"))),
                "bad": co([], sleep(0.1), raise_(exc("ValueError", "b")))}))

S.append(scenario(
    "mixed/gather-of-groups", "gather of two coroutines each running a task group",
    ["gather", "taskgroup"],
    [await_(aio("gather", coro("group", 1), coro("group", 2)), "r"), trace("r", V("r"))],
    coroutines={"group": co(["n"], with_(aio("TaskGroup"), spawn(coro("leaf", V("n")), "l"), as_="tg"), ret(m(V("l"), "result"))),
                "leaf": co(["n"], sleep(op("mul", 0.1, V("n"))), ret(op("mul", V("n"), 10)))}))

S.append(scenario(
    "mixed/priority-queue-consumers", "two consumers of a priority queue fed by a producer",
    ["queue", "tasks"],
    [do(aio("PriorityQueue"), "q"), task(coro("consumer", "a"), "ca"), task(coro("consumer", "b"), "cb"),
     for_("x", lit([5, 1, 4, 2, 3]), do(m(V("q"), "put_nowait", V("x")))), sleep(0.2), do(m(V("ca"), "cancel")), do(m(V("cb"), "cancel")),
     try_([await_(V("ca"))], CX)],
    coroutines={"consumer": co(["n"], while_(True, await_(m(V("q"), "get"), "x"), trace("got", V("n"), V("x")), sleep(0.01)))}))

S.append(scenario(
    "mixed/wait-for-task-in-group", "wait_for on a task-group child: the timeout cancels the child, the group goes on",
    ["taskgroup", "wait_for", "cancellation"],
    [with_(aio("TaskGroup"), spawn(coro("slow"), "s"), spawn(coro("watcher"), "w"), as_="tg"), trace("end", loop("time"))],
    coroutines={"slow": co([], try_([sleep(1)], CX, finally_=[trace("slow finally")])),
                "watcher": co([], try_([await_(aio("wait_for", V("s"), 0.1))], TO))}))

S.append(scenario(
    "mixed/cancel-during-lock-wait-in-timeout", "a timeout expires while the task waits for a lock",
    ["lock", "timeout", "cancellation"],
    [do(aio("Lock"), "lock"), await_(m(V("lock"), "acquire")), task(coro("w"), "w"), sleep(0.5), do(m(V("lock"), "release")),
     await_(V("w")), trace("locked", m(V("lock"), "locked"))],
    coroutines={"w": co([], try_([with_(aio("timeout", 0.1), with_(V("lock"), trace("never")))], TO),
                        with_(V("lock"), trace("got it later", loop("time"))))}))
SCENARIOS = S
