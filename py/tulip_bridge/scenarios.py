"""Loading conformance scenario files (spec/scenarios/*.json) and checking them."""

import fnmatch
import json
from pathlib import Path

from .jsonschema_lite import validate

__all__ = ["SPEC_DIR", "load_schema", "check_file", "load_scenarios", "select", "golden_path"]

SPEC_DIR = Path(__file__).resolve().parents[2] / "spec"


def load_schema() -> dict:
    return json.loads((SPEC_DIR / "schema.json").read_text())


def check_file(data: dict, schema: dict | None = None) -> list[str]:
    """Schema errors, plus the rules a schema cannot say: ids carry the file's area."""
    errors = validate(data, schema or load_schema())
    if errors:
        return errors
    seen = set()
    for sc in data["scenarios"]:
        if sc["id"].split("/")[0] != data["area"]:
            errors.append(f"{sc['id']}: id must start with the area {data['area']!r}/")
        if sc["id"] in seen:
            errors.append(f"{sc['id']}: duplicate id")
        seen.add(sc["id"])
    return errors


def _files(paths) -> list[Path]:
    out = []
    for p in map(Path, paths or [SPEC_DIR / "scenarios"]):
        out += sorted(p.glob("*.json")) if p.is_dir() else [p]
    return out


def load_scenarios(paths=None) -> list[dict]:
    """Every scenario in the given files or directories (default: spec/scenarios/),
    validated; raises ValueError listing every problem."""
    schema = load_schema()
    scenarios, problems, ids = [], [], set()
    for f in _files(paths):
        data = json.loads(f.read_text())
        errors = check_file(data, schema)
        problems += [f"{f.name}: {e}" for e in errors]
        for sc in data.get("scenarios", []) if not errors else []:
            if sc["id"] in ids:
                problems.append(f"{f.name}: {sc['id']}: duplicate id")
            ids.add(sc["id"])
            scenarios.append(sc)
    if problems:
        raise ValueError("invalid scenarios:\n" + "\n".join(problems))
    return scenarios


def select(scenarios, ids=None, features=None) -> list[dict]:
    """Scenarios whose id matches one of the globs and that carry one of the features."""
    out = scenarios
    if ids:
        out = [s for s in out if any(fnmatch.fnmatchcase(s["id"], g) for g in ids)]
    if features:
        out = [s for s in out if set(features) & set(s["features"])]
    return out


def golden_path(scenario_id: str) -> Path:
    return SPEC_DIR / "golden" / f"{scenario_id}.trace"
