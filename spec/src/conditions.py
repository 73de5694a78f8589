from dsl import *

AREA = "conditions"
DESCRIPTION = "asyncio.Condition, Semaphore, BoundedSemaphore and Barrier"
TC = "test_asyncio/test_locks.py::ConditionTests::"
TS = "test_asyncio/test_locks.py::SemaphoreTests::"
TB = "test_asyncio/test_locks.py::BarrierTests::"
S = []
CX = except_("CancelledError", trace("cancelled", V("e")), as_="e")
ERR = lambda t: except_(t, trace("caught", V("e")), as_="e")  # noqa: E731

NEW_C = do(aio("Condition"), "cond")
CWAIT = co(["n"], with_(V("cond"), trace("waiting", V("n")), await_(m(V("cond"), "wait"), "r"), trace("woke", V("n"), V("r"),
                                                                                                 m(V("cond"), "locked"))))


def notify(*args, **kw):
    return with_(V("cond"), do(m(V("cond"), "notify", *args, **kw)))


S.append(scenario(
    "conditions/notify-one", "notify() wakes the first waiter only",
    ["condition"], [NEW_C] + [task(coro("w", i), f"w{i}") for i in range(3)] +
    [sleep(0), notify(), sleep(0.1), notify(2), sleep(0.1)],
    coroutines={"w": CWAIT}, provenance=TC + "test_notify"))

S.append(scenario(
    "conditions/notify-all", "notify_all() wakes every waiter in order; each reacquires the lock in turn",
    ["condition"], [NEW_C] + [task(coro("w", i), f"w{i}") for i in range(3)] +
    [sleep(0), with_(V("cond"), do(m(V("cond"), "notify_all"))), sleep(0.1)],
    coroutines={"w": CWAIT}, provenance=TC + "test_notify_all"))

S.append(scenario(
    "conditions/wait-unacquired", "wait() without holding the lock is a RuntimeError",
    ["condition", "exceptions"], [NEW_C, try_([await_(m(V("cond"), "wait"))], ERR("RuntimeError"))],
    provenance=TC + "test_wait_unacquired"))

S.append(scenario(
    "conditions/notify-unacquired", "notify() without holding the lock is a RuntimeError",
    ["condition", "exceptions"], [NEW_C, try_([do(m(V("cond"), "notify"))], ERR("RuntimeError")),
                                  try_([do(m(V("cond"), "notify_all"))], ERR("RuntimeError"))],
    provenance=TC + "test_notify_unacquired"))

S.append(scenario(
    "conditions/wait-for", "wait_for(predicate) re-checks the predicate after each wake-up",
    ["condition"],
    [NEW_C, do(lit([]), "box"), task(coro("waiter"), "wt"), sleep(0),
     for_("i", rng(3), with_(V("cond"), do(m(V("cond"), "notify"))), sleep(0.1)), await_(V("wt"))],
    coroutines={"waiter": co([], with_(V("cond"), await_(m(V("cond"), "wait_for", fn("pred")), "r"), trace("r", V("r"))))},
    functions={"pred": f([], do(loop("time"), "t"), ret(op("ge", V("t"), 0.2)))},
    provenance=TC + "test_wait_for"))

S.append(scenario(
    "conditions/wait-cancel", "a waiter cancelled in wait() still reacquires the lock before the CancelledError",
    ["condition", "cancellation"],
    [NEW_C, task(coro("w", 1), "w1"), sleep(0), do(m(V("w1"), "cancel")), try_([await_(V("w1"))], CX),
     trace("locked", m(V("cond"), "locked"))],
    coroutines={"w": co(["n"], with_(V("cond"), try_([await_(m(V("cond"), "wait"))],
                                                  except_("CancelledError", trace("holds lock", m(V("cond"), "locked")), raise_()))))},
    provenance=TC + "test_wait_cancel"))

S.append(scenario(
    "conditions/wait-cancel-contested", "cancelled while another task holds the lock",
    ["condition", "cancellation"],
    [NEW_C, task(coro("w", 1), "w1"), sleep(0), await_(m(V("cond"), "acquire")), do(m(V("cond"), "notify")),
     do(m(V("w1"), "cancel")), sleep(0), trace("main holds"), do(m(V("cond"), "release")), try_([await_(V("w1"))], CX)],
    coroutines={"w": CWAIT}, provenance=TC + "test_wait_cancel_contested"))

S.append(scenario(
    "conditions/explicit-lock", "a Condition built on an existing Lock shares it",
    ["condition", "lock"],
    [do(aio("Lock"), "lock"), do(aio("Condition", V("lock")), "cond"), await_(m(V("lock"), "acquire")),
     trace("cond locked", m(V("cond"), "locked")), do(m(V("lock"), "release"))], provenance=TC + "test_explicit_lock"))

S.append(scenario(
    "conditions/timeout-in-block", "wait_for(cond.wait(), timeout) inside the block",
    ["condition", "wait_for", "timeout"],
    [NEW_C, with_(V("cond"), try_([await_(aio("wait_for", m(V("cond"), "wait"), 0.5))],
                                  except_("TimeoutError", trace("timeout", m(V("cond"), "locked"), loop("time")))))],
    provenance=TC + "test_timeout_in_block"))

# -- Semaphore ------------------------------------------------------------------------------
SEMUSER = co(["n", "hold"], trace("want", V("n")), with_(V("sem"), trace("got", V("n")), sleep(V("hold"))), trace("left", V("n")))

S.append(scenario(
    "conditions/semaphore-limit", "a Semaphore(2) lets two holders in at a time, FIFO",
    ["semaphore"], [do(aio("Semaphore", 2), "sem")] + [task(coro("u", i, 0.1), f"u{i}") for i in range(5)] + [sleep(1)],
    coroutines={"u": SEMUSER}, provenance=TS + "test_acquire"))

S.append(scenario(
    "conditions/semaphore-zero", "Semaphore(0) blocks until a release",
    ["semaphore"],
    [do(aio("Semaphore", 0), "sem"), trace("locked", m(V("sem"), "locked")), task(coro("u", 1, 0), "u1"), sleep(0.1),
     do(m(V("sem"), "release")), sleep(0.1)],
    coroutines={"u": SEMUSER}, provenance=TS + "test_initial_value_zero"))

S.append(scenario(
    "conditions/semaphore-negative", "a negative initial value is a ValueError",
    ["semaphore", "exceptions"], [try_([do(aio("Semaphore", -1))], ERR("ValueError"))], provenance=TS + "test_semaphore_value"))

S.append(scenario(
    "conditions/semaphore-release-extra", "a plain Semaphore may be released more than acquired",
    ["semaphore"], [do(aio("Semaphore", 1), "sem"), do(m(V("sem"), "release")), await_(m(V("sem"), "acquire")),
                    await_(m(V("sem"), "acquire")), trace("locked", m(V("sem"), "locked"))],
    provenance=TS + "test_release_no_waiters"))

S.append(scenario(
    "conditions/bounded-over-release", "BoundedSemaphore refuses to go over its initial value",
    ["semaphore", "exceptions"],
    [do(aio("BoundedSemaphore", 1), "sem"), try_([do(m(V("sem"), "release"))], ERR("ValueError"))],
    provenance=TS + "test_release_not_acquired"))

S.append(scenario(
    "conditions/semaphore-cancel-waiter", "a cancelled waiter does not consume a slot",
    ["semaphore", "cancellation"],
    [do(aio("Semaphore", 1), "sem"), await_(m(V("sem"), "acquire"))] + [task(coro("u", i, 0), f"u{i}") for i in range(3)] +
    [sleep(0), do(m(V("u1"), "cancel")), sleep(0), do(m(V("sem"), "release")), sleep(0.1), trace("locked", m(V("sem"), "locked"))],
    coroutines={"u": SEMUSER}, provenance=TS + "test_acquire_cancel"))

S.append(scenario(
    "conditions/semaphore-cancel-before-awoken", "a waiter woken and cancelled before it runs hands its slot on",
    ["semaphore", "cancellation"],
    [do(aio("Semaphore", 0), "sem")] + [task(coro("u", i, 0), f"u{i}") for i in range(3)] +
    [sleep(0), do(m(V("sem"), "release")), do(m(V("u0"), "cancel")), sleep(0.1), trace("locked", m(V("sem"), "locked"))],
    coroutines={"u": SEMUSER}, provenance=TS + "test_acquire_cancel_before_awoken"))

S.append(scenario(
    "conditions/semaphore-fifo-release-many", "several releases at once wake waiters in FIFO order",
    ["semaphore"],
    [do(aio("Semaphore", 0), "sem")] + [task(coro("u", i, 0.1), f"u{i}") for i in range(4)] +
    [sleep(0), do(m(V("sem"), "release")), do(m(V("sem"), "release")), do(m(V("sem"), "release")), sleep(1)],
    coroutines={"u": SEMUSER}, provenance=TS + "test_acquire_fifo_order_3"))

S.append(scenario(
    "conditions/semaphore-no-hang", "a waiter cancelled right after a release does not leave others hanging",
    ["semaphore", "cancellation"],
    [do(aio("Semaphore", 0), "sem"), task(coro("u", 1, 0), "u1"), task(coro("u", 2, 0), "u2"), sleep(0),
     do(m(V("u1"), "cancel")), do(m(V("sem"), "release")), sleep(0.1), trace("locked", m(V("sem"), "locked"))],
    coroutines={"u": SEMUSER}, provenance=TS + "test_acquire_hang"))

# -- Barrier --------------------------------------------------------------------------------
BWAIT = co(["n"], trace("arrive", V("n")), await_(m(V("bar"), "wait"), "i"), trace("pass", V("n"), V("i")))

S.append(scenario(
    "conditions/barrier-basic", "three parties: the barrier opens when the third arrives; wait() returns distinct indexes",
    ["barrier"], [do(aio("Barrier", 3), "bar")] + [task(coro("b", i), f"b{i}") for i in range(3)] +
    [sleep(0.1), trace("state", attr(V("bar"), "n_waiting"), attr(V("bar"), "broken"), attr(V("bar"), "parties"))],
    coroutines={"b": BWAIT}, provenance=TB + "test_filling_tasks_check_return_value"))

S.append(scenario(
    "conditions/barrier-n-waiting", "n_waiting counts the tasks blocked at the barrier",
    ["barrier"], [do(aio("Barrier", 3), "bar")] + [task(coro("b", i), f"b{i}") for i in range(2)] +
    [sleep(0), trace("n_waiting", attr(V("bar"), "n_waiting")), await_(m(V("bar"), "wait"), "i"), trace("main", V("i")), sleep(0)],
    coroutines={"b": BWAIT}, provenance=TB + "test_filling_task_by_task"))

S.append(scenario(
    "conditions/barrier-twice", "a barrier is reusable: two rounds",
    ["barrier"], [do(aio("Barrier", 2), "bar")] + [task(coro("b2", i), f"b{i}") for i in range(2)] + [sleep(0.1)],
    coroutines={"b2": co(["n"], for_("r", rng(2), await_(m(V("bar"), "wait"), "i"), trace("round", V("r"), V("i"))))},
    provenance=TB + "test_filling_tasks_wait_twice"))

S.append(scenario(
    "conditions/barrier-abort", "abort() breaks the barrier: waiters get BrokenBarrierError",
    ["barrier", "exceptions"],
    [do(aio("Barrier", 3), "bar")] + [task(coro("b", i), f"b{i}") for i in range(2)] +
    [sleep(0), await_(m(V("bar"), "abort")), sleep(0), trace("broken", attr(V("bar"), "broken")),
     try_([await_(m(V("bar"), "wait"))], ERR("BrokenBarrierError"))],
    coroutines={"b": co(["n"], try_([await_(m(V("bar"), "wait"))], except_("BrokenBarrierError", trace("broken", V("n"))))) },
    provenance=TB + "test_abort_barrier"))

S.append(scenario(
    "conditions/barrier-reset", "reset() while tasks wait: they get BrokenBarrierError and the barrier works again",
    ["barrier", "exceptions"],
    [do(aio("Barrier", 2), "bar"), task(coro("b", 0), "b0"), sleep(0), await_(m(V("bar"), "reset")), sleep(0),
     trace("broken", attr(V("bar"), "broken")), task(coro("b", 1), "b1"), await_(m(V("bar"), "wait"), "i"),
     trace("main", V("i")), sleep(0)],
    coroutines={"b": co(["n"], try_([await_(m(V("bar"), "wait"), "i"), trace("pass", V("n"), V("i"))],
                                    except_("BrokenBarrierError", trace("broken", V("n")))))},
    provenance=TB + "test_reset_barrier_while_tasks_waiting"))

S.append(scenario(
    "conditions/barrier-cancel-one", "a waiter cancelled at the barrier leaves n_waiting one lower",
    ["barrier", "cancellation"],
    [do(aio("Barrier", 3), "bar")] + [task(coro("b", i), f"b{i}") for i in range(2)] +
    [sleep(0), do(m(V("b0"), "cancel")), sleep(0), trace("n_waiting", attr(V("bar"), "n_waiting"), attr(V("bar"), "broken")),
     do(m(V("b1"), "cancel")), sleep(0)],
    coroutines={"b": BWAIT}, provenance=TB + "test_filling_tasks_cancel_one"))

S.append(scenario(
    "conditions/barrier-parties", "Barrier(0) is a ValueError",
    ["barrier", "exceptions"], [try_([do(aio("Barrier", 0))], ERR("ValueError"))], provenance=TB + "test_barrier_parties"))
SCENARIOS = S
