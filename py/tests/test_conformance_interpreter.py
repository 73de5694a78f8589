"""The CPython interpreter: hand-checked traces, the trace format, the virtual loop, the
serve protocol, and the goldens being CPython's current output."""

import asyncio
import json
import platform
import subprocess
import sys

import pytest

from tulip_bridge.conformance import ScenarioError, run_scenario
from tulip_bridge.scenarios import golden_path, load_scenarios
from tulip_bridge.trace_format import Tagger, format_time
from tulip_bridge.virtual_loop import VirtualTimeLoop

SCENARIOS = {s["id"]: s for s in load_scenarios()}

# Scenarios may create coroutines that asyncio refuses (TaskGroup.create_task after exit):
# they warn when collected, which is GC noise, not behaviour.
pytestmark = pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")


def events(scenario_id, event=None):
    """The trace of a scenario as (time, iteration, actor, event, args) tuples."""
    out = []
    for line in run_scenario(SCENARIOS[scenario_id]):
        t, it, actor, ev, args = line.split(" ", 4)
        if event is None or ev == event:
            out.append((t, int(it), actor, ev, json.loads(args)))
    return out


def calls(scenario_id):
    return [args for _, _, _, _, args in events(scenario_id, "call")]


def test_batches_run_timers_after_the_ready_queue():
    assert calls("callbacks/soon-later0-soon") == [["A"], ["C"], ["B"]]


def test_twelve_tied_timers_fire_in_heapq_order():
    assert [a[0] for a in calls("timers/ties-12")] == [0, 2, 6, 5, 11, 10, 9, 8, 7, 1, 3, 4]


def test_tie_order_is_cpython_heapq_not_a_stable_sort():
    loop = VirtualTimeLoop()
    order = []
    for i in range(12):
        loop.call_at(1.0, order.append, i)
    loop.run_until_complete(asyncio.sleep(2))
    loop.close()
    assert [a[0] for a in calls("timers/ties-12")] == order


def test_cancel_message_reaches_the_awaiter():
    traces = [args for *_, args in events("cancellation/message", "trace")]
    assert traces[0] == ["inside", {"exc": "CancelledError", "msg": "my reason"}]
    assert traces[1] == ["caught", {"exc": "CancelledError", "msg": "my reason"}]


def test_gather_results_keep_argument_order_and_time():
    (t, _, actor, _, args), = [e for e in events("gather/results-in-argument-order", "trace") if e[4][0] == "r"]
    assert (t, actor, args) == ("0.3000", "main", ["r", [1, 2, 3]])


def test_task_actor_is_its_given_name_else_its_coroutine_label():
    starts = [(actor, args[0]) for _, _, actor, _, args in events("timers/sleep-wake-order", "start")]
    assert starts == [("main", "main"), ("s3", "sleeper"), ("s1", "sleeper"), ("s2", "sleeper")]
    assert {actor for _, _, actor, _, _ in events("timers/sleep-ties", "start")} == {"main", "s"}


def test_deadlock_is_reported_and_stops_the_run():
    last = events("errors/deadlock")[-1]
    assert last[2:4] == ("loop", "deadlock")


def test_runner_cancels_leftover_tasks_after_main():
    evs = events("cancellation/pending-on-main-exit")
    runner_at = next(i for i, e in enumerate(evs) if e[2] == "runner")
    after = [(e[2], e[3]) for e in evs[runner_at + 1:]]
    assert after == [("w1", "trace"), ("w1", "raise")]


def test_contextvars_task_copies_context_at_creation():
    traces = [args for *_, args in events("context/task-copies-context", "trace")]
    assert traces == [["task sees", "before"], ["task set", "task"], ["main", "after"]]


def test_iteration_counts_loop_passes():
    # main starts in the first iteration; each sleep(0) costs exactly one more
    its = [(it, args[0]) for _, it, _, _, args in events("callbacks/sleep0-vs-callback", "trace")]
    assert its == [(2, "back"), (3, "back2")]


def test_unknown_name_is_a_scenario_error():
    bad = {"id": "x/y", "description": "d", "features": ["tasks"], "clock": "virtual",
           "main": [{"trace": "t", "values": ["$nowhere"]}]}
    with pytest.raises(ScenarioError, match="nowhere"):
        run_scenario(bad)


def test_scenario_error_is_not_caught_by_a_bare_except():
    bad = {"id": "x/y", "description": "d", "features": ["tasks"], "clock": "virtual",
           "main": [{"try": [{"do": "$nowhere"}], "except": [{"body": [{"pass": None}]}]}]}
    with pytest.raises(ScenarioError):
        run_scenario(bad)


def test_await_in_a_function_is_a_scenario_error():
    bad = {"id": "x/y", "description": "d", "features": ["tasks"], "clock": "virtual",
           "functions": {"f": {"body": [{"await": {"asyncio": "sleep", "args": [0]}}]}},
           "main": [{"do": {"loop": "call_soon", "args": [{"fn": "f"}]}}, {"await": {"asyncio": "sleep", "args": [0]}}]}
    with pytest.raises(ScenarioError, match="awaits"):
        run_scenario(bad)


BROKEN_PROTOCOL = {
    "id": "x/y", "description": "d", "features": ["protocols"], "clock": "real",
    "functions": {"made": {"params": ["t"], "body": [{"do": "$nowhere"}]}},
    "main": [
        {"do": {"loop": "create_future"}, "as": "never"},
        {"await": {"loop": "create_server", "args": [{"protocol": {"connection_made": "made"}}, "127.0.0.1", 0]},
         "as": "server"},
        {"do": {"index": [{"method": "getsockname", "on": {"index": [{"attr": "sockets", "on": "$server"}, 0]}}, 1]},
         "as": "port"},
        {"await": {"asyncio": "open_connection", "args": ["127.0.0.1", "$port"]}},
        {"await": "$never"},
    ],
}


def test_a_scenario_error_in_a_protocol_callback_ends_the_run():
    # The transport would only log it; main waits on a future nobody sets.
    with pytest.raises(ScenarioError, match="nowhere"):
        run_scenario(BROKEN_PROTOCOL)


def test_an_unknown_protocol_callback_is_a_scenario_error():
    bad = {**BROKEN_PROTOCOL, "main": [{"do": {"protocol": {"buffer_updated": "made"}}}]}
    with pytest.raises(ScenarioError, match="buffer_updated"):
        run_scenario(bad)


# -- trace format --------------------------------------------------------------------------
@pytest.mark.parametrize("t,text", [(0.0, "0.0000"), (0.30000000000000004, "0.3000"), (0.03125, "0.0312"),
                                    (0.09375, "0.0938"), (172800.0, "172800.0000"), (None, "-")])
def test_time_is_rounded_half_even(t, text):
    assert format_time(t) == text


def test_tags():
    tag = Tagger({}, lambda t: "t", lambda c: "c").tag
    assert tag(1.0) == 1 and tag(0.5) == 0.5 and tag(True) is True
    assert tag((1, [2])) == {"tuple": [1, [2]]}
    assert tag({"b", "a"}) == {"set": ["a", "b"]}
    assert tag(float("inf")) == {"float": "inf"}
    assert tag(ValueError("x")) == {"exc": "ValueError", "msg": "x"}
    group = tag(ExceptionGroup("g", [KeyError("k")]))
    assert group == {"exc": "ExceptionGroup", "msg": "g (1 sub-exception)",
                     "exceptions": [{"exc": "KeyError", "msg": "'k'"}]}


# -- virtual loop --------------------------------------------------------------------------
def test_virtual_time_jumps_exactly_to_the_deadline():
    loop = VirtualTimeLoop()
    seen = []
    loop.call_later(0.1, lambda: seen.append(loop.time()))
    loop.call_later(0.7, lambda: seen.append(loop.time()))
    loop.run_until_complete(asyncio.sleep(1))
    loop.close()
    assert seen == [0.1, 0.7]


def test_virtual_loop_wakes_after_a_day_like_cpython():
    loop = VirtualTimeLoop()
    wakes = []
    original = loop._run_once

    def spy():
        original()
        wakes.append(loop.time())

    loop._run_once = spy
    loop.run_until_complete(asyncio.sleep(2 * 86400))
    loop.close()
    assert 86400.0 in wakes and wakes[-1] == 2 * 86400


# -- serve protocol ------------------------------------------------------------------------
def test_serve_protocol():
    sc = SCENARIOS["callbacks/soon-later0-soon"]
    requests = [{"cmd": "start"}, {"cmd": "run", "seq": 7, "scenario": sc},
                {"cmd": "run", "seq": 8, "scenario": {"main": [{"do": "$missing"}]}}, {"cmd": "stop"}]
    proc = subprocess.run([sys.executable, "-m", "tulip_bridge", "conformance-serve"],
                          input="".join(json.dumps(r) + "\n" for r in requests),
                          capture_output=True, text=True, timeout=60)
    replies = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 0
    assert replies[0]["ok"] and replies[0]["implementation"]["language"] == "python"
    assert replies[1] == {"seq": 7, "trace": run_scenario(sc)}
    assert replies[2]["seq"] == 8 and replies[2]["error"]["type"] == "ScenarioError"
    assert replies[3] == {"ok": True}


def test_scenarios_do_not_depend_on_set_order():
    # Sets of tasks iterate in address order in CPython; a scenario must not observe it.
    flaky = [sid for sid, sc in SCENARIOS.items()
             if any(run_scenario(sc, shuffle_seed=seed) != run_scenario(sc) for seed in range(3))]
    assert not flaky


# -- goldens -------------------------------------------------------------------------------
def test_goldens_match_cpython_now():
    blessed = (golden_path("x").parent / "PYTHON_VERSION").read_text().strip()
    if blessed != platform.python_version():
        pytest.skip(f"goldens are blessed from CPython {blessed}, this is {platform.python_version()}: "
                    "patch releases differ (3.11.2 and 3.11.7 do)")
    stale = []
    for sid, sc in SCENARIOS.items():
        path = golden_path(sid)
        want = path.read_text() if path.exists() else None
        if want != "".join(line + "\n" for line in run_scenario(sc)):
            stale.append(sid)
    assert not stale, f"{len(stale)} goldens out of date (python -m tulip_bridge conformance-bless): {stale[:10]}"
