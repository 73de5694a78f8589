"""The scenario files: valid against the schema, fresh against spec/src, honest provenance."""

import ast
import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tulip_bridge.jsonschema_lite import SchemaError, validate
from tulip_bridge.scenarios import SPEC_DIR, check_file, load_scenarios, load_schema

# Coroutine objects of scenarios run by other test modules may be collected here.
pytestmark = pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")

SCHEMA = load_schema()
SCENARIOS = load_scenarios()


def _minimal():
    return {"area": "x", "scenarios": [{
        "id": "x/ok", "description": "d", "features": ["tasks"], "clock": "virtual",
        "main": [{"await": {"asyncio": "sleep", "args": [0]}}, {"trace": "t", "values": ["$y"]}]}]}


def test_every_scenario_file_is_valid():
    scenarios = SCENARIOS
    assert len(scenarios) >= 200
    assert len({s["id"] for s in scenarios}) == len(scenarios)


def test_every_area_has_scenarios():
    areas = {s["id"].split("/")[0] for s in SCENARIOS}
    assert {"callbacks", "timers", "futures", "tasks", "cancellation", "gather", "wait", "wait-for",
            "timeouts", "taskgroups", "locks", "conditions", "queues", "context", "errors", "loops"} <= areas


def test_minimal_file_is_valid():
    assert check_file(_minimal(), SCHEMA) == []


def _break(path, value):
    data = _minimal()
    target = data["scenarios"][0]
    *parents, last = path
    for p in parents:
        target = target[p]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return data


@pytest.mark.parametrize("path,value,expected", [
    (["id"], "no-area", "does not match"),
    (["id"], KeyError, "missing 'id'"),
    (["features"], ["not-a-feature"], "is not one of"),
    (["features"], [], "fewer than 1"),
    (["clock"], "wall", "is not one of"),
    (["main", 0, "await", "asyncio"], "run_forever", "is not one of"),
    (["main", 1, "trace"], 3, "expected string"),
    (["main", 1, "values"], ["$"], "matches no anyOf branch"),
    (["main", 0, "extra"], 1, "unexpected key 'extra'"),
    (["main", 0], {"await": 1, "do": 2}, "matches no oneOf branch"),
    (["main", 0], {"while": True}, "missing 'body'"),
    (["main", 0], {"try": []}, "needs one of ['except', 'finally']"),
    (["main", 0], {"do": {"exc": "OSError"}}, "is not one of"),
    (["main", 0], {"do": {"method": "acquire", "on": "$x", "kwargs": {"loop": 1}}}, "is not one of"),
    (["main", 0], {"do": {"method": "cancel", "on": "$x", "kwargs": {"msg": "m"}}}, "is not one of"),
    (["coroutines"], {"main": {"body": []}}, "does not match"),
    (["functions"], {"runner": {"body": []}}, "does not match"),
    (["surprise"], True, "unexpected key 'surprise'"),
])
def test_malformed_scenarios_are_rejected(path, value, expected):
    errors = check_file(_break(path, value), SCHEMA)
    assert errors, "accepted a malformed scenario"
    assert any(expected in e for e in errors), errors


def test_id_must_carry_the_area():
    data = _minimal()
    data["scenarios"][0]["id"] = "other/ok"
    assert any("must start with the area" in e for e in check_file(data, SCHEMA))


def test_duplicate_ids_are_rejected():
    data = _minimal()
    data["scenarios"].append(copy.deepcopy(data["scenarios"][0]))
    assert any("duplicate id" in e for e in check_file(data, SCHEMA))


def test_validator_refuses_unknown_keywords():
    with pytest.raises(SchemaError):
        validate(1, {"type": "integer", "multipleOf": 2})


def test_scenario_files_are_built_from_src():
    result = subprocess.run([sys.executable, str(SPEC_DIR / "src" / "build.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _cpython_tests() -> Path | None:
    import asyncio
    d = Path(asyncio.__file__).parent.parent / "test" / "test_asyncio"
    return d if d.is_dir() else None


def test_provenance_names_real_cpython_tests():
    tests_dir = _cpython_tests()
    if tests_dir is None:
        pytest.skip("this Python has no test/test_asyncio to check provenance against")
    defined: dict[str, set[str]] = {}
    missing = []
    for sc in SCENARIOS:
        m = re.fullmatch(r"test_asyncio/(\w+\.py)::(\w+)::(\w+)", sc.get("provenance", ""))
        if not m:
            continue
        file, cls, test = m.groups()
        if file not in defined:
            tree = ast.parse((tests_dir / file).read_text())
            defined[file] = {f"{c.name}::{f.name}" for c in tree.body if isinstance(c, ast.ClassDef)
                             for f in c.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
        if f"{cls}::{test}" not in defined[file]:
            missing.append(f"{sc['id']}: {sc['provenance']}")
    assert not missing, "\n".join(missing)


def test_every_provenance_is_a_test_or_a_doc_sentence():
    odd = [s["id"] for s in SCENARIOS if "provenance" in s
           and not re.match(r"(test_asyncio/\w+\.py::\w+::\w+$|docs: |\w+(\.\w+)*[:.]|DESIGN\.md)", s["provenance"])]
    assert not odd
