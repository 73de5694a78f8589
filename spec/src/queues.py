from dsl import *

AREA = "queues"
DESCRIPTION = "asyncio.Queue, PriorityQueue, LifoQueue: order, blocking put/get, task_done/join, cancellation"
TQ = "test_asyncio/test_queues.py::"
S = []
ERR = lambda t: except_(t, trace("caught", V("e")), as_="e")  # noqa: E731
CX = except_("CancelledError", trace("cancelled", V("e")), as_="e")

PRODUCER = co(["items", "d"], for_("x", V("items"), sleep(V("d")), await_(m(V("q"), "put", V("x"))), trace("put", V("x"))))
CONSUMER = co(["n"], for_("i", rng(V("n")), await_(m(V("q"), "get"), "x"), trace("got", V("x"))))


def q(kind="Queue", *a):
    return do(aio(kind, *a), "q")


def puts(*xs):
    return [do(m(V("q"), "put_nowait", x)) for x in xs]


def drain(n):
    return [trace("drain", *[m(V("q"), "get_nowait") for _ in range(n)])]


S.append(scenario(
    "queues/fifo", "Queue is first in, first out",
    ["queue"], [q()] + puts(3, 1, 2) + drain(3), provenance=TQ + "QueueBasicTests::test_order"))

S.append(scenario(
    "queues/lifo", "LifoQueue is last in, first out",
    ["queue"], [q("LifoQueue")] + puts(3, 1, 2) + drain(3), provenance=TQ + "LifoQueueTests::test_order"))

S.append(scenario(
    "queues/priority", "PriorityQueue returns the smallest item first",
    ["queue"], [q("PriorityQueue")] + puts(3, 1, 2, 0) + drain(4), provenance=TQ + "PriorityQueueTests::test_order"))

S.append(scenario(
    "queues/priority-tuples", "PriorityQueue of (priority, value) tuples",
    ["queue"], [q("PriorityQueue")] + puts(tup(2, "b"), tup(1, "z"), tup(2, "a"), tup(1, "y")) + drain(4)))

S.append(scenario(
    "queues/sizes", "qsize, empty, full and maxsize",
    ["queue"], [q("Queue", 2), trace("empty", m(V("q"), "qsize"), m(V("q"), "empty"), m(V("q"), "full"), attr(V("q"), "maxsize"))] +
    puts("a", "b") + [trace("full", m(V("q"), "qsize"), m(V("q"), "empty"), m(V("q"), "full"))],
    provenance=TQ + "QueueBasicTests::test_full"))

S.append(scenario(
    "queues/unbounded-never-full", "maxsize 0 means unbounded",
    ["queue"], [q()] + [for_("i", rng(100), do(m(V("q"), "put_nowait", V("i"))))] +
    [trace("size", m(V("q"), "qsize"), m(V("q"), "full"))], provenance=TQ + "QueueBasicTests::test_maxsize"))

S.append(scenario(
    "queues/get-nowait-empty", "get_nowait on an empty queue raises QueueEmpty",
    ["queue", "exceptions"], [q(), try_([do(m(V("q"), "get_nowait"))], ERR("QueueEmpty"))],
    provenance=TQ + "QueueGetTests::test_nonblocking_get_exception"))

S.append(scenario(
    "queues/put-nowait-full", "put_nowait on a full queue raises QueueFull",
    ["queue", "exceptions"], [q("Queue", 1)] + puts(1) + [try_([do(m(V("q"), "put_nowait", 2))], ERR("QueueFull"))],
    provenance=TQ + "QueuePutTests::test_nonblocking_put_exception"))

S.append(scenario(
    "queues/blocking-get", "get() waits for a put",
    ["queue"], [q(), task(coro("consumer", 2), "c"), task(coro("producer", lit(["x", "y"]), 0.1), "p"), await_(V("c"))],
    coroutines={"producer": PRODUCER, "consumer": CONSUMER}, provenance=TQ + "QueueGetTests::test_blocking_get_wait"))

S.append(scenario(
    "queues/blocking-put", "put() on a full queue waits for a get",
    ["queue"], [q("Queue", 1), task(coro("producer", lit([1, 2, 3]), 0), "p"), sleep(0.5), task(coro("consumer", 3), "c"),
                await_(V("p")), await_(V("c"))],
    coroutines={"producer": PRODUCER, "consumer": CONSUMER}, provenance=TQ + "QueuePutTests::test_blocking_put_wait"))

S.append(scenario(
    "queues/getters-fifo", "several getters are served in the order they waited",
    ["queue"], [q()] + [task(coro("consumer", 1), f"c{i}") for i in range(3)] + [sleep(0)] + puts("a", "b", "c") + [sleep(0.1)],
    coroutines={"consumer": CONSUMER}, provenance=TQ + "QueueGetTests::test_why_are_getters_waiting"))

S.append(scenario(
    "queues/putters-fifo", "several putters on a full queue are served in order",
    ["queue"], [q("Queue", 1)] + puts("first") + [task(coro("producer", lit([f"p{i}"]), 0), f"p{i}") for i in range(3)] +
    [sleep(0)] + [sleep(0.01), trace("get", m(V("q"), "get_nowait")), sleep(0.01), trace("get", m(V("q"), "get_nowait")),
                  sleep(0.01), trace("get", m(V("q"), "get_nowait")), sleep(0.01), trace("get", m(V("q"), "get_nowait"))],
    coroutines={"producer": PRODUCER}, provenance=TQ + "QueuePutTests::test_why_are_putters_waiting"))

S.append(scenario(
    "queues/task-done-join", "join() returns when every item got a task_done()",
    ["queue"], [q()] + puts(1, 2, 3) + [task(coro("worker"), "w"), await_(m(V("q"), "join")), trace("joined", loop("time")),
                                         do(m(V("w"), "cancel"))],
    coroutines={"worker": co([], while_(True, await_(m(V("q"), "get"), "x"), sleep(0.1), trace("did", V("x")),
                                        do(m(V("q"), "task_done"))))},
    provenance="test_asyncio/test_queues.py::_QueueJoinTestMixin::test_task_done"))

S.append(scenario(
    "queues/join-empty", "join() on a queue with no unfinished items returns at once",
    ["queue"], [q(), do(loop("call_soon", fn("cb"))), await_(m(V("q"), "join")), trace("joined"), sleep(0)],
    functions={"cb": NOOP0}, provenance="test_asyncio/test_queues.py::_QueueJoinTestMixin::test_join_empty_queue"))

S.append(scenario(
    "queues/task-done-underflow", "task_done() more often than items is a ValueError",
    ["queue", "exceptions"], [q(), try_([do(m(V("q"), "task_done"))], ERR("ValueError"))],
    provenance="test_asyncio/test_queues.py::_QueueJoinTestMixin::test_task_done_underflow"))

S.append(scenario(
    "queues/get-cancelled", "a cancelled get() loses no item; the next getter receives it",
    ["queue", "cancellation"],
    [q(), task(coro("consumer", 1), "c1"), task(coro("consumer", 1), "c2"), sleep(0), do(m(V("c1"), "cancel")), sleep(0)] +
    puts("item") + [sleep(0.1), trace("size", m(V("q"), "qsize"))],
    coroutines={"consumer": CONSUMER}, provenance=TQ + "QueuePutTests::test_get_cancel_drop_one_pending_reader"))

S.append(scenario(
    "queues/get-cancelled-race", "a getter woken by a put and cancelled before running leaves the item for the next",
    ["queue", "cancellation"],
    [q(), task(coro("consumer", 1), "c1"), task(coro("consumer", 1), "c2"), sleep(0)] + puts("item") +
    [do(m(V("c1"), "cancel")), sleep(0.1), trace("size", m(V("q"), "qsize"))],
    coroutines={"consumer": CONSUMER}, provenance=TQ + "QueueGetTests::test_get_cancelled_race"))

S.append(scenario(
    "queues/put-cancelled", "a cancelled put() does not add its item",
    ["queue", "cancellation"],
    [q("Queue", 1)] + puts("a") + [task(coro("producer", lit(["b"]), 0), "p"), sleep(0), do(m(V("p"), "cancel")), sleep(0),
                                  trace("size", m(V("q"), "qsize")), trace("get", m(V("q"), "get_nowait"), m(V("q"), "empty"))],
    coroutines={"producer": PRODUCER}, provenance=TQ + "QueuePutTests::test_put_cancelled"))

S.append(scenario(
    "queues/put-with-waiting-getters", "put_nowait hands the item to a waiting getter",
    ["queue"], [q(), task(coro("consumer", 1), "c"), sleep(0)] + puts("x") + [trace("size", m(V("q"), "qsize")), sleep(0)],
    coroutines={"consumer": CONSUMER}, provenance=TQ + "QueuePutTests::test_put_with_waiting_getters"))

S.append(scenario(
    "queues/producer-consumer", "two producers and two consumers",
    ["queue"],
    [q("Queue", 2), task(coro("producer", lit(["a1", "a2", "a3"]), 0.1), "pa"), task(coro("producer", lit(["b1", "b2", "b3"]), 0.15), "pb"),
     task(coro("consumer", 3), "c1"), task(coro("consumer", 3), "c2"),
     await_(aio("gather", V("pa"), V("pb"), V("c1"), V("c2")))],
    coroutines={"producer": PRODUCER, "consumer": CONSUMER}))

S.append(scenario(
    "queues/sentinel-shutdown", "a consumer loop ends on a None sentinel",
    ["queue"],
    [q(), task(coro("loop_consumer"), "c")] + [await_(m(V("q"), "put", x)) for x in (1, 2, None)] + [await_(V("c"), "r"), trace("r", V("r"))],
    coroutines={"loop_consumer": co([], do(lit([]), "seen"), while_(True, await_(m(V("q"), "get"), "x"),
                                                                   if_(op("is", V("x"), None), [BREAK]),
                                                                   trace("item", V("x"))), ret("stopped"))}))

S.append(scenario(
    "queues/get-timeout", "wait_for(q.get(), t) times out and leaves the queue usable",
    ["queue", "wait_for", "timeout"],
    [q(), try_([await_(aio("wait_for", m(V("q"), "get"), 0.1))], except_("TimeoutError", trace("timeout", loop("time")))),
     do(m(V("q"), "put_nowait", "late")), await_(m(V("q"), "get"), "x"), trace("x", V("x"))],
    provenance=TQ + "QueueGetTests::test_cancelled_getters_not_being_held_in_self_getters"))

S.append(scenario(
    "queues/blocking-get-ready", "get() on a non-empty queue returns without waiting",
    ["queue"], [q()] + puts("ready") + [do(loop("call_soon", fn("cb"))), await_(m(V("q"), "get"), "x"), trace("x", V("x")), sleep(0)],
    functions={"cb": NOOP0}, provenance=TQ + "QueueGetTests::test_blocking_get"))
SCENARIOS = S
