"""`python -m tulip_bridge conformance-…`: run, serve, bless and check scenarios.

conformance-run [--id GLOB] [--feature F] [PATH…]   print each scenario's trace
conformance-serve                                   JSON lines on stdin/stdout (below)
conformance-bless [--id GLOB]                       rewrite spec/golden/ from CPython
conformance-check                                   scenarios valid, goldens up to date

The serve protocol (after bowtie): one JSON object per line each way.
  {"cmd": "start"}                       -> {"ok": true, "implementation": {...}}
      (optional "loop": "uvloop": checks that uvloop imports, and names its version as
       the implementation's "loop"; else {"error": {"type": "LoopUnavailable", ...}})
  {"cmd": "run", "seq": N, "scenario": S} -> {"seq": N, "trace": [lines]}
      (optional "shuffle_seed": K runs with tasks hashed at random, to detect set order;
       optional "loop": "uvloop" runs it on uvloop, on the real clock: loops.py;
       optional "real_clock": true runs it on the real clock on asyncio too)
                                            or {"seq": N, "error": {"type", "message"}}
  {"cmd": "stop"}                        -> {"ok": true}, then exit
"""

import argparse
import json
import platform
import sys
import traceback
import warnings

from .conformance import run_scenario
from .loops import LoopUnavailable, loop_version
from .scenarios import SPEC_DIR, golden_path, load_scenarios, select

IMPLEMENTATION = {
    "name": "cpython-asyncio",
    "language": "python",
    "version": platform.python_version(),
}


def _args(argv, paths=True):
    p = argparse.ArgumentParser(prog="python -m tulip_bridge " + argv[0])
    p.add_argument("--id", action="append", help="id glob (repeatable)")
    p.add_argument("--feature", action="append", help="feature tag (repeatable)")
    if paths:
        p.add_argument("paths", nargs="*")
    return p.parse_args(argv[1:])


def cmd_run(argv) -> int:
    a = _args(argv)
    status = 0
    for sc in select(load_scenarios(a.paths or None), a.id, a.feature):
        print(f"# {sc['id']}")
        try:
            print("\n".join(run_scenario(sc)))
        except Exception:
            traceback.print_exc()
            status = 1
    return status


def cmd_serve(argv) -> int:
    out = sys.stdout
    for raw in sys.stdin:
        if not raw.strip():
            continue
        req = json.loads(raw)
        cmd = req.get("cmd")
        if cmd == "start":
            try:
                loop = loop_version(req.get("loop", "asyncio"))
                reply = {"ok": True, "implementation": {**IMPLEMENTATION, "loop": loop}}
            except LoopUnavailable as e:
                reply = {"error": {"type": type(e).__name__, "message": str(e)}}
        elif cmd == "run":
            try:
                reply = {"seq": req.get("seq"),
                         "trace": run_scenario(req["scenario"], req.get("shuffle_seed"),
                                               req.get("loop", "asyncio"), req.get("real_clock", False))}
            except Exception as e:  # noqa: B902 - reported to the runner as ERROR
                reply = {"seq": req.get("seq"),
                         "error": {"type": type(e).__name__, "message": str(e),
                                   "traceback": traceback.format_exc()}}
        elif cmd == "stop":
            out.write(json.dumps({"ok": True}) + "\n")
            out.flush()
            return 0
        else:
            reply = {"error": {"type": "ProtocolError", "message": f"unknown cmd {cmd!r}"}}
        out.write(json.dumps(reply, ensure_ascii=False) + "\n")
        out.flush()
    return 0


def _golden_text(lines) -> str:
    return "".join(line + "\n" for line in lines)


def cmd_bless(argv) -> int:
    a = _args(argv, paths=False)
    scenarios = select(load_scenarios(), a.id, a.feature)
    for sc in scenarios:
        path = golden_path(sc["id"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_golden_text(run_scenario(sc)))
    (SPEC_DIR / "golden" / "PYTHON_VERSION").write_text(platform.python_version() + "\n")
    if not a.id and not a.feature:  # a full bless also drops goldens of removed scenarios
        keep = {golden_path(sc["id"]) for sc in scenarios}
        for stale in (SPEC_DIR / "golden").rglob("*.trace"):
            if stale not in keep:
                stale.unlink()
    print(f"blessed {len(scenarios)} scenarios from CPython {platform.python_version()}")
    return 0


def cmd_check(argv) -> int:
    scenarios = load_scenarios()
    stale = [sc["id"] for sc in scenarios
             if not golden_path(sc["id"]).exists()
             or golden_path(sc["id"]).read_text() != _golden_text(run_scenario(sc))]
    for s in stale:
        print(f"golden out of date: {s}")
    print(f"{len(scenarios)} scenarios valid, {len(stale)} goldens out of date")
    return 1 if stale else 0


COMMANDS = {
    "conformance-run": cmd_run,
    "conformance-serve": cmd_serve,
    "conformance-bless": cmd_bless,
    "conformance-check": cmd_check,
}


def main(argv) -> int:
    # A coroutine object that a scenario creates and never awaits (e.g. refused by
    # TaskGroup.create_task) warns when collected; that is GC noise, not a trace event.
    warnings.filterwarnings("ignore", message="coroutine .* was never awaited", category=RuntimeWarning)
    if not argv or argv[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](argv)
