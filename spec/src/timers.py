from dsl import *

AREA = "timers"
DESCRIPTION = "call_later / call_at: deadline order, equal-deadline ties (heapq is not stable), cancel, the clock"
TB = "test_asyncio/test_base_events.py::BaseEventLoopTests::"
S = []
CB = {"cb": NOOP}


def ties(n, cancel=()):
    body = [for_("i", rng(n), do(loop("call_at", 1, fn("cb"), V("i")), "h"),
                 *( [if_(op("eq", V("i"), c), [do(m(V("h"), "cancel"))]) for c in cancel] ))]
    return body + [sleep(2)]


S.append(scenario(
    "timers/deadline-order", "timers fire by deadline, not by scheduling order",
    ["timers"], [do(loop("call_later", 0.3, fn("cb"), "c")), do(loop("call_later", 0.1, fn("cb"), "a")),
                 do(loop("call_later", 0.2, fn("cb"), "b")), sleep(1)],
    functions=CB, provenance=TB + "test_call_later"))

for n in (2, 3, 4, 5, 6, 8, 12, 16):
    S.append(scenario(
        f"timers/ties-{n}", f"{n} call_at with one deadline fire in heapq's (unstable) order",
        ["timers", "ties"], ties(n), functions=CB,
        provenance="base_events: _scheduled is a heapq; TimerHandle compares by `when` only"))

S.append(scenario(
    "timers/ties-12-cancel-head", "cancelling the first of 12 tied timers reorders the rest as heappop does",
    ["timers", "ties", "handles"], ties(12, cancel=(0,)), functions=CB,
    provenance=TB + "test__run_once_cancelled_event_cleanup"))

S.append(scenario(
    "timers/ties-12-cancel-some", "cancelling timers 3, 7 and 11 of 12 tied ones",
    ["timers", "ties", "handles"], ties(12, cancel=(3, 7, 11)), functions=CB))

S.append(scenario(
    "timers/ties-call-later", "call_later with equal delays from one instant tie like call_at",
    ["timers", "ties"],
    [for_("i", rng(7), do(loop("call_later", 0.5, fn("cb"), V("i")))), sleep(1)], functions=CB))

S.append(scenario(
    "timers/purge-cancelled", "over 100 timers with more than half cancelled: the heap is rebuilt (heapify) and ties reorder",
    ["timers", "ties", "handles"],
    [for_("i", rng(120), do(loop("call_at", 1, fn("cb"), V("i")), "h"),
          if_(op("lt", V("i"), 70), [do(m(V("h"), "cancel"))])),
     sleep(2)], functions=CB,
    provenance=TB + "test__run_once_cancelled_event_cleanup"))

S.append(scenario(
    "timers/purge-cancelled-mixed-deadlines", "heap purge with timers at several deadlines",
    ["timers", "ties", "handles"],
    [for_("i", rng(110), do(loop("call_at", op("add", 1, op("mod", V("i"), 3)), fn("cb"), V("i")), "h"),
          if_(op("eq", op("mod", V("i"), 5), 0), [], [if_(op("lt", V("i"), 80), [do(m(V("h"), "cancel"))])])),
     sleep(4)], functions=CB))

S.append(scenario(
    "timers/negative-delay", "a negative delay behaves as zero: the timer fires on the next iteration",
    ["timers"],
    [do(loop("call_later", -1, fn("cb"), "neg")), do(loop("call_soon", fn("cb"), "soon")), sleep(0), sleep(0)],
    functions=CB, provenance=TB + "test_call_later_negative_delays"))

S.append(scenario(
    "timers/call-at-past", "call_at with a deadline in the past fires on the next iteration",
    ["timers"], [sleep(1), do(loop("call_at", 0.5, fn("cb"), "past")), sleep(0), trace("t", loop("time"))],
    functions=CB, provenance=TB + "test_time_and_call_at"))

S.append(scenario(
    "timers/time-advances", "the virtual clock reads each timer's deadline inside its callback",
    ["timers"],
    [do(loop("call_later", 0.25, fn("now"))), do(loop("call_later", 1.5, fn("now"))), sleep(2),
     trace("end", loop("time"))],
    functions={"now": f([], trace("time", loop("time")))}))

S.append(scenario(
    "timers/cancel-timer", "a cancelled timer never fires",
    ["timers", "handles"],
    [do(loop("call_later", 0.1, fn("cb"), "x"), "h"), do(loop("call_later", 0.2, fn("cb"), "y")),
     do(m(V("h"), "cancel")), sleep(1)], functions=CB))

S.append(scenario(
    "timers/cancel-from-tied-timer", "a timer cancels another one due at the same instant, already moved to the ready queue",
    ["timers", "ties", "handles"],
    [do(loop("call_at", 1, fn("killer")), "hk"), do(loop("call_at", 1, fn("cb"), "victim"), "victim"),
     do(loop("call_at", 1, fn("cb"), "other")), sleep(2)],
    functions={"killer": f([], do(m(V("victim"), "cancel"))), "cb": NOOP}))

S.append(scenario(
    "timers/when", "TimerHandle.when() is the absolute deadline",
    ["timers", "handles"],
    [sleep(0.5), do(loop("call_later", 0.25, fn("cb"), 1), "h"), trace("when", m(V("h"), "when")),
     do(m(V("h"), "cancel"))], functions=CB, provenance="test_asyncio/test_events.py::TimerTests::test_when"))

S.append(scenario(
    "timers/timer-schedules-soon", "a timer callback's call_soon runs on the next iteration, before later timers",
    ["timers", "callbacks"],
    [do(loop("call_later", 0.1, fn("t1"))), do(loop("call_later", 0.1, fn("cb"), "tied")), sleep(1)],
    functions={"t1": f([], do(loop("call_soon", fn("cb"), "soon")), do(loop("call_later", 0, fn("cb"), "later0"))),
               "cb": NOOP}))

S.append(scenario(
    "timers/sleep-wake-order", "tasks sleeping different delays wake in deadline order",
    ["timers", "sleep", "tasks"],
    [task(coro("sleeper", 0.3), "s3"), task(coro("sleeper", 0.1), "s1"), task(coro("sleeper", 0.2), "s2"), sleep(1)],
    coroutines={"sleeper": co(["d"], sleep("$d"), trace("woke", loop("time")))}))

S.append(scenario(
    "timers/sleep-ties", "five tasks sleeping the same delay wake in the timer heap's order",
    ["timers", "sleep", "tasks", "ties"],
    [for_("i", rng(5), task(coro("sleeper", V("i"), label="s"))), sleep(2)],
    coroutines={"sleeper": co(["n"], sleep(1), trace("woke", V("n")))}))

S.append(scenario(
    "timers/float-sums", "three sleeps of 0.1 end after 0.3 (0.30000000000000004), and after a 0.3 timer",
    ["timers", "sleep"],
    [do(loop("call_later", 0.3, fn("cb"), "timer")), sleep(0.1), sleep(0.1), sleep(0.1), trace("now", loop("time"))],
    functions=CB))

S.append(scenario(
    "timers/long-delay", "a timer two days away: the loop wakes after one day (the select cap) and again at the deadline",
    ["timers"], [do(loop("call_later", 172800, fn("cb"), "far")), sleep(172801), trace("now", loop("time"))],
    functions=CB, provenance="base_events.MAXIMUM_SELECT_TIMEOUT"))

S.append(scenario(
    "timers/sleep-result", "asyncio.sleep(delay, result) returns result",
    ["sleep"], [await_(aio("sleep", 0.1, "r"), "v"), trace("v", V("v")), await_(aio("sleep", 0, lit([1, 2])), "w"),
                trace("w", V("w"))], provenance="docs: asyncio.sleep: If result is provided, it is returned to the caller"))

S.append(scenario(
    "timers/zero-vs-timer-due", "a timer already due and a call_soon: the ready handle runs first, then the timer",
    ["timers", "callbacks"],
    [do(loop("call_later", 0.1, fn("cb"), "timer")), do(loop("call_soon", fn("block"))), sleep(0.2)],
    functions={"block": f([], do(loop("call_soon", fn("cb"), "soon"))), "cb": NOOP}))

S.append(scenario(
    "timers/real-clock-order", "on the real clock, timers still fire in deadline order, and sleep(0) yields once",
    ["timers", "sleep"],
    [do(loop("call_later", 0.03, fn("cb"), "c")), do(loop("call_later", 0.01, fn("cb"), "a")),
     do(loop("call_later", 0.02, fn("cb"), "b")), do(loop("call_soon", fn("cb"), "soon")), sleep(0), trace("after sleep0"),
     sleep(0.05)],
    functions=CB, clock="real"))
SCENARIOS = S
