"""Regenerate spec/scenarios/<AREA>.json from spec/src/*.py (each defines AREA,
DESCRIPTION and SCENARIOS). `python spec/src/build.py [--check]`."""

import importlib
import json
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent
OUT = SRC.parent / "scenarios"


def areas():
    sys.path.insert(0, str(SRC))
    for path in sorted(SRC.glob("*.py")):
        if path.stem in ("dsl", "build"):
            continue
        mod = importlib.import_module(path.stem)
        yield mod.AREA, {"area": mod.AREA, "description": mod.DESCRIPTION,
                          "scenarios": mod.SCENARIOS}


def render(data) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main(argv) -> int:
    check = "--check" in argv
    stale = []
    wanted = set()
    for stem, data in areas():
        target = OUT / f"{stem}.json"
        wanted.add(target)
        text = render(data)
        if not target.exists() or target.read_text() != text:
            stale.append(target.name)
            if not check:
                OUT.mkdir(exist_ok=True)
                target.write_text(text)
    extra = [p.name for p in OUT.glob("*.json") if p not in wanted]
    if check:
        for name in stale + extra:
            print(f"out of date: spec/scenarios/{name}")
        return 1 if stale or extra else 0
    for p in extra:
        (OUT / p).unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
