from dsl import *

AREA = "locks"
DESCRIPTION = "asyncio.Lock and asyncio.Event"
TL = "test_asyncio/test_locks.py::LockTests::"
TE = "test_asyncio/test_locks.py::EventTests::"
S = []
CX = except_("CancelledError", trace("cancelled", V("e")), as_="e")
ERR = lambda t: except_(t, trace("caught", V("e")), as_="e")  # noqa: E731

USER = co(["n", "hold"], trace("want", V("n")), with_(V("lock"), trace("got", V("n")), sleep(V("hold")), trace("release", V("n"))))
NEW_LOCK = do(aio("Lock"), "lock")

S.append(scenario(
    "locks/lock-fifo", "waiters acquire the lock in the order they asked",
    ["lock"], [NEW_LOCK] + [task(coro("user", i, 0.1), f"u{i}") for i in range(4)] + [sleep(1)],
    coroutines={"user": USER}, provenance=TL + "test_acquire"))

S.append(scenario(
    "locks/lock-uncontended", "acquire() of a free lock returns True without suspending",
    ["lock"], [NEW_LOCK, do(loop("call_soon", fn("cb"))), await_(m(V("lock"), "acquire"), "r"), trace("r", V("r"), m(V("lock"), "locked")),
               do(m(V("lock"), "release")), trace("locked", m(V("lock"), "locked")), sleep(0)],
    functions={"cb": NOOP0}, provenance=TL + "test_lock"))

S.append(scenario(
    "locks/lock-release-unlocked", "releasing an unlocked lock raises RuntimeError",
    ["lock", "exceptions"], [NEW_LOCK, try_([do(m(V("lock"), "release"))], ERR("RuntimeError"))],
    provenance=TL + "test_release_not_acquired"))

S.append(scenario(
    "locks/lock-cancel-waiter", "a cancelled waiter leaves the queue; the next waiter gets the lock",
    ["lock", "cancellation"],
    [NEW_LOCK, await_(m(V("lock"), "acquire")), task(coro("user", 1, 0), "u1"), task(coro("user", 2, 0), "u2"), sleep(0),
     do(m(V("u1"), "cancel")), sleep(0), do(m(V("lock"), "release")), sleep(0.1), trace("u1", m(V("u1"), "cancelled"))],
    coroutines={"user": USER}, provenance=TL + "test_acquire_cancel"))

S.append(scenario(
    "locks/lock-cancel-race", "a waiter woken by release and cancelled before it runs passes the lock on",
    ["lock", "cancellation"],
    [NEW_LOCK, await_(m(V("lock"), "acquire")), task(coro("user", 1, 0), "u1"), task(coro("user", 2, 0), "u2"), sleep(0),
     do(m(V("lock"), "release")), do(m(V("u1"), "cancel")), sleep(0.1), trace("locked", m(V("lock"), "locked"))],
    coroutines={"user": USER}, provenance=TL + "test_cancel_release_race"))

S.append(scenario(
    "locks/lock-barging", "a task that calls acquire() while a woken waiter has not run yet",
    ["lock"],
    [NEW_LOCK, await_(m(V("lock"), "acquire")), task(coro("user", 1, 0), "waiter"), sleep(0), do(m(V("lock"), "release")),
     task(coro("user", 2, 0), "newcomer"), sleep(0.1)],
    coroutines={"user": USER}, provenance=TL + "test_cancel_race"))

S.append(scenario(
    "locks/lock-exception-releases", "leaving async with by an exception releases the lock",
    ["lock", "exceptions"],
    [NEW_LOCK, try_([with_(V("lock"), raise_(exc("ValueError", "inside")))], ERR("ValueError")),
     trace("locked", m(V("lock"), "locked"))], provenance=TL + "test_context_manager"))

S.append(scenario(
    "locks/lock-with-as", "async with lock as x binds None",
    ["lock"], [NEW_LOCK, with_(V("lock"), trace("x", V("x")), as_="x")], provenance=TL + "test_context_manager"))

S.append(scenario(
    "locks/lock-finished-waiter-cancelled", "a waiter cancelled after its future was resolved",
    ["lock", "cancellation"],
    [NEW_LOCK, await_(m(V("lock"), "acquire")), task(coro("user", 1, 0.1), "u1"), task(coro("user", 2, 0.1), "u2"),
     sleep(0), do(m(V("lock"), "release")), sleep(0), do(m(V("u1"), "cancel")), sleep(0.5)],
    coroutines={"user": USER}, provenance=TL + "test_finished_waiter_cancelled"))

# -- Event --------------------------------------------------------------------------------
NEW_EV = do(aio("Event"), "ev")
WAITER = co(["n"], trace("waiting", V("n")), await_(m(V("ev"), "wait"), "r"), trace("woke", V("n"), V("r")))

S.append(scenario(
    "locks/event-wakes-all", "set() wakes every waiter, in the order they waited",
    ["event"], [NEW_EV] + [task(coro("waiter", i), f"w{i}") for i in range(3)] +
    [sleep(0.1), trace("set"), do(m(V("ev"), "set")), trace("is_set", m(V("ev"), "is_set")), sleep(0), sleep(0)],
    coroutines={"waiter": WAITER}, provenance=TE + "test_wait"))

S.append(scenario(
    "locks/event-wait-on-set", "wait() on a set event returns True at once",
    ["event"], [NEW_EV, do(m(V("ev"), "set")), do(loop("call_soon", fn("cb"))), await_(m(V("ev"), "wait"), "r"), trace("r", V("r")), sleep(0)],
    functions={"cb": NOOP0}, provenance=TE + "test_wait_on_set"))

S.append(scenario(
    "locks/event-clear", "clear() resets the flag; later waiters block again",
    ["event"], [NEW_EV, do(m(V("ev"), "set")), do(m(V("ev"), "clear")), trace("is_set", m(V("ev"), "is_set")),
                task(coro("waiter", 1), "w1"), sleep(0.1), do(m(V("ev"), "set")), sleep(0), sleep(0)],
    coroutines={"waiter": WAITER}, provenance=TE + "test_clear"))

S.append(scenario(
    "locks/event-clear-with-waiters", "set() then clear() before the waiters run: they still wake",
    ["event"], [NEW_EV, task(coro("waiter", 1), "w1"), task(coro("waiter", 2), "w2"), sleep(0),
                do(m(V("ev"), "set")), do(m(V("ev"), "clear")), sleep(0), sleep(0)],
    coroutines={"waiter": WAITER}, provenance=TE + "test_clear_with_waiters"))

S.append(scenario(
    "locks/event-wait-cancel", "a cancelled waiter does not disturb the others",
    ["event", "cancellation"],
    [NEW_EV, task(coro("waiter", 1), "w1"), task(coro("waiter", 2), "w2"), sleep(0), do(m(V("w1"), "cancel")),
     sleep(0), do(m(V("ev"), "set")), sleep(0), sleep(0), trace("w1", m(V("w1"), "cancelled"))],
    coroutines={"waiter": WAITER}, provenance=TE + "test_wait_cancel"))

S.append(scenario(
    "locks/event-set-twice", "set() on a set event changes nothing",
    ["event"], [NEW_EV, do(m(V("ev"), "set")), do(m(V("ev"), "set")), await_(m(V("ev"), "wait"), "r"), trace("r", V("r"))]))

S.append(scenario(
    "locks/event-from-callback", "a timer callback sets the event",
    ["event", "timers"],
    [NEW_EV, do(loop("call_later", 0.3, fn("setter"))), task(coro("waiter", 1), "w1"), await_(m(V("ev"), "wait")),
     trace("main woke", loop("time")), sleep(0)],
    coroutines={"waiter": WAITER}, functions={"setter": f([], do(m(V("ev"), "set")))}))
SCENARIOS = S
