"""Renders the golden exports: the diarist's plan (and its daylight-saving variant) as ICS and
FHIR, with fixed options, so that the bytes can be compared across processes.

    PYTHONPATH=src python tests/exports/golden_render.py NAME      # the bytes on stdout
    PYTHONPATH=src python tests/exports/golden_render.py --write   # rewrite tests/exports/golden/

Rewrite the files only after reading the diff: a changed golden file is a changed export.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from export_plans import diarist_plan

from taper.exports import fhir, ics
from taper.exports.options import ExportOptions
from taper.knowledge import load_drug

GOLDEN = Path(__file__).parent / "golden"
OPTIONS = ExportOptions(generated_on=date(2026, 11, 23))


def _renders() -> dict[str, Callable[[], bytes]]:
    drug = load_drug("baclofen")
    plans = {"diarist": diarist_plan(),
             "across-dst": diarist_plan(start=date(2027, 3, 10), step_days=2, steps=4)}
    out: dict[str, Callable[[], bytes]] = {}
    for name, plan in plans.items():
        out[f"{name}.ics"] = lambda plan=plan: ics.render(plan, drug, OPTIONS)
        out[f"{name}.fhir.json"] = lambda plan=plan: _bytes(fhir.render(plan, drug, OPTIONS))
    return out


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8")


NAMES = ("diarist.ics", "diarist.fhir.json", "across-dst.ics", "across-dst.fhir.json")


def render(name: str) -> bytes:
    return _renders()[name]()


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        GOLDEN.mkdir(exist_ok=True)
        for name in NAMES:
            (GOLDEN / name).write_bytes(render(name))
    else:
        sys.stdout.buffer.write(render(sys.argv[1]))
