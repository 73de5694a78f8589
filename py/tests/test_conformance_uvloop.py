"""The Python side on uvloop (`--python-loop uvloop`): scenarios run on a uvloop loop and its
real clock, clock readings are marked, the serve protocol takes the loop, and a missing
uvloop fails with the `pip install` hint."""

import json
import subprocess
import sys

import pytest

from tulip_bridge import loops
from tulip_bridge.conformance import run_scenario
from tulip_bridge.scenarios import load_scenarios
from tulip_bridge.trace_format import CLOCK_TAG, ClockReading, Tagger

SCENARIOS = {s["id"]: s for s in load_scenarios()}

pytestmark = pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")


def calls(lines):
    return [json.loads(line.split(" ", 4)[4]) for line in lines if line.split(" ")[3] == "call"]


def test_a_scenario_runs_on_uvloop_where_call_later_0_is_call_soon():
    pytest.importorskip("uvloop")
    sc = SCENARIOS["callbacks/soon-later0-soon"]
    assert calls(run_scenario(sc)) == [["A"], ["C"], ["B"]]
    on_uvloop = run_scenario(sc, loop="uvloop")
    # uvloop turns call_later(0) into call_soon; and it has no virtual clock: `-` columns.
    assert calls(on_uvloop) == [["A"], ["B"], ["C"]]
    assert all(line.startswith("- - ") for line in on_uvloop)


def test_clock_readings_on_uvloop_are_marked_and_count_from_the_start():
    pytest.importorskip("uvloop")
    lines = run_scenario(SCENARIOS["timeouts/at-basic"], loop="uvloop")
    assert any('{"clock":"-"}' in line for line in lines)
    # pred compares loop.time() with 0.2: from the loop's start, as on the virtual clock.
    assert len(calls(run_scenario(SCENARIOS["conditions/wait-for"], loop="uvloop"))) == 4
    # call_at(0.2) fires 0.2 s after the start, not at once (0.2 s after boot is long past).
    at = {"id": "x/at", "clock": "virtual", "functions": {"cb": {"params": [], "body": []}},
          "main": [{"do": {"loop": "call_at", "args": [0.2, {"fn": "cb"}]}}, {"await": {"asyncio": "sleep", "args": [0.1]}},
                   {"trace": "slept"}, {"await": {"asyncio": "sleep", "args": [0.2]}}]}
    events = [line.split(" ")[3] for line in run_scenario(at, loop="uvloop")]
    assert events.index("trace") < events.index("call")
    # ...while reschedule(loop.time() + 0.5) is a deadline on uvloop's own clock.
    traced = [json.loads(line.split(" ", 4)[4])[0] for line in run_scenario(SCENARIOS["timeouts/reschedule-later"], loop="uvloop")
              if " trace " in line]
    assert traced == ["survived", "timeout", "cm"]


def test_asyncio_on_the_real_clock_marks_readings_too():
    # The control run: asyncio's own loop on the machine's clock, its readings marked.
    lines = run_scenario(SCENARIOS["timeouts/at-basic"], real_clock=True)
    assert all(line.startswith("- - ") for line in lines)
    assert [line for line in lines if " trace " in line][0].endswith('{"clock":"-"}]')
    assert calls(run_scenario(SCENARIOS["callbacks/soon-later0-soon"], real_clock=True)) == [["A"], ["C"], ["B"]]


def test_clock_reading_arithmetic_and_tag():
    t = ClockReading(1000.25, origin=1000.0)
    # asyncio compares deadlines with loop.time() itself: the value stays the loop's own.
    assert t > 1000.0 and t.since_start() == 0.25
    later = t + 0.5
    assert isinstance(later, ClockReading) and float(later) == 1000.75 and later.since_start() == 0.75
    assert isinstance(later - t, ClockReading) and (later - t).since_start() == 0.5
    assert Tagger({}, None, None).tag([t, 0.25]) == [CLOCK_TAG, 0.25]


def test_an_unknown_loop_and_a_missing_uvloop_are_refused(monkeypatch):
    with pytest.raises(loops.LoopUnavailable, match="unknown loop"):
        run_scenario(SCENARIOS["callbacks/soon-later0-soon"], loop="trio")
    monkeypatch.setitem(sys.modules, "uvloop", None)  # makes `import uvloop` fail
    with pytest.raises(loops.LoopUnavailable, match="pip install uvloop"):
        loops.check("uvloop")
    assert loops.loop_version("asyncio").startswith("asyncio 3.")


def test_serve_protocol_on_uvloop():
    uvloop = pytest.importorskip("uvloop")
    sc = SCENARIOS["callbacks/soon-later0-soon"]
    requests = [{"cmd": "start", "loop": "uvloop"}, {"cmd": "run", "seq": 1, "scenario": sc, "loop": "uvloop"},
                {"cmd": "start", "loop": "trio"}, {"cmd": "stop"}]
    proc = subprocess.run([sys.executable, "-m", "tulip_bridge", "conformance-serve"],
                          input="".join(json.dumps(r) + "\n" for r in requests),
                          capture_output=True, text=True, timeout=60)
    replies = [json.loads(line) for line in proc.stdout.splitlines()]
    assert replies[0]["implementation"]["loop"] == f"uvloop {uvloop.__version__}"
    assert calls(replies[1]["trace"]) == [["A"], ["B"], ["C"]]
    assert replies[2]["error"]["type"] == "LoopUnavailable"


def test_uvloop_transports_are_tagged_as_transports():
    # uvloop's transports do not derive from asyncio.BaseTransport; the trace names them by label.
    pytest.importorskip("uvloop")
    lines = run_scenario(SCENARIOS["protocols/echo-server"], loop="uvloop")
    assert any('{"transport":"srv"}' in line for line in lines)
    assert lines == run_scenario(SCENARIOS["protocols/echo-server"])
