"""The benchmark's verdicts: each goal of issue 17 as a measured value, its goal, whether it
was met, and what it was compared against in the same run. `make bench` writes them to
bench/results.json and prints them as a table; the sections print their other figures."""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MARK = "result\t"  # a child process's result line: MARK + the JSON of one Result


@dataclass(frozen=True)
class Result:
    name: str
    value: float
    unit: str
    goal: str  # "<= 3", ">= 100", "== 0": the value's bound, in its unit
    met: bool
    reference: str  # what the value was compared against in the same run

    def line(self) -> str:
        return MARK + json.dumps(asdict(self))


def verdict(name: str, value: float, unit: str, bound: str, limit: float,
            reference: str) -> Result:
    """A Result whose `met` is `value <bound> limit` (bound one of <=, >=, ==)."""
    met = {"<=": value <= limit, ">=": value >= limit, "==": value == limit}[bound]
    return Result(name, round(value, 3), unit, f"{bound} {limit:g}", met, reference)


def parse(line: str) -> Result | None:
    if not line.startswith(MARK):
        return None
    return Result(**json.loads(line.removeprefix(MARK)))


LOAD_AT_START = os.getloadavg()  # when run.py imports this, before any section runs


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {"platform": platform.platform(), "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "load_average_at_start": [round(x, 2) for x in LOAD_AT_START],
            "load_average_at_end": [round(x, 2) for x in load],
            "note": "a machine shared with other work: read the ratios (measured side by side)"
                    " before the absolute times"}


def write(path: Path, results: list[Result], quick: bool) -> None:
    document = {"generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": {**machine(), "run": "quick" if quick else "full"},
                "results": [asdict(r) for r in results]}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")


def table(results: list[Result]) -> str:
    rows = [("measure", "value", "goal", "met", "reference")] + [
        (r.name, f"{r.value:g} {r.unit}", f"{r.goal} {r.unit}", "yes" if r.met else "NO",
         r.reference) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join("  ".join([*(c.ljust(w) for c, w in zip(row[:4], widths, strict=True)), row[4]])
                     .rstrip() for row in rows)
