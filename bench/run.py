"""`make bench`: planning speed, composer vs exhaustive search, CLI start-up, and the others.

Prints measured figures; it asserts nothing (goals are in the closing notes, not in tests).
"""

from __future__ import annotations

import importlib
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from taper.contract.request import parse_plan_request  # noqa: E402
from taper.core import composer  # noqa: E402
from taper.core.planner import make_plan  # noqa: E402

LONG_CASE = {
    "drug": "baclofen", "start_date": "2026-12-01", "timezone": "Europe/Paris",
    "current_doses": [{"time": t, "mg": "30"} for t in ("07:00", "12:00", "17:00", "22:00")],
    "products": [
        {"id": "tab20", "form": "tablet", "strength_mg": "20", "divisible_into": 2},
        {"id": "tab10", "form": "tablet", "strength_mg": "10", "divisible_into": 2},
        {"id": "tab5", "form": "tablet", "strength_mg": "5", "divisible_into": 1},
        {"id": "sol1", "form": "liquid", "mg_per_ml": "1", "measure_step_ml": "0.1",
         "min_volume_ml": "0.5"},
    ],
    "strategy": {"kind": "percent", "percent": "5", "step_days": 7, "final_mg": "1"},
}


def median_ms(fn: Callable[[], object], repeat: int, clear: Callable[[], None],
              clock: Callable[[], float] = time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        clear()
        start = clock()
        fn()
        times.append((clock() - start) * 1000)
    return statistics.median(times)


def clear_caches() -> None:
    composer._compose.cache_clear()
    composer._table.cache_clear()
    from taper.core import amount_sets

    amount_sets._amount_sets.cache_clear()


def planning() -> list[tuple[str, str]]:
    diarist = json.loads((ROOT / "examples" / "diarist.json").read_text(), parse_float=Decimal)
    requests = {"diarist": parse_plan_request(diarist), "long case": parse_plan_request(LONG_CASE)}
    rows = []
    for name, request in requests.items():
        ms = median_ms(lambda r=request: make_plan(r), 30, clear_caches)
        # CPU time too: on a shared machine the wall clock also counts other processes' turns.
        cpu = median_ms(lambda r=request: make_plan(r), 30, clear_caches, time.process_time)
        steps = len(make_plan(request).steps)
        rows.append((f"plan {name} ({steps} steps), median, cold caches",
                     f"{ms:.2f} ms wall, {cpu:.2f} ms CPU"))
    return rows


def composing() -> list[tuple[str, str]]:
    request = parse_plan_request(LONG_CASE)
    plan = make_plan(request)
    amounts = sorted({d.mg for s in plan.steps for d in s.doses} | {Fraction(30)})
    products = request.products
    rows = []
    for how in composer.COSTS:  # both costs must stay optimal and fast (issue 13)
        elapsed_by: dict[str, float] = {}
        for label, fn in (("composer", composer._compose.__wrapped__),
                          ("exhaustive", composer.compose_exhaustively)):
            start = time.perf_counter()
            results = [fn(a, products, frozenset(), how) for a in amounts]
            elapsed = time.perf_counter() - start
            elapsed_by[label] = elapsed
            rows.append((f"{label} ({how}): {len(amounts)} doses of the long case, 4 products",
                         f"{elapsed * 1000:.1f} ms ({elapsed / len(amounts) * 1e6:.0f} µs each)"))
            if label == "composer":
                fast = results
            else:
                worse = sum(1 for a, b in zip(fast, results, strict=True) if a != b)
                rows.append((f"composer answers differing from exhaustive ({how})", str(worse)))
        ratio = elapsed_by["exhaustive"] / elapsed_by["composer"]
        rows.append((f"composer speed-up over exhaustive ({how})", f"{ratio:.0f}×"))
    return rows


def process(cmd: list[str], repeat: int = 10) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cli() -> list[tuple[str, str]]:
    taper = str(Path(sys.executable).parent / "taper")
    return [
        ("`taper plan examples/diarist.json --format json`, median wall",
         f"{process([taper, 'plan', str(ROOT / 'examples/diarist.json'), '--format', 'json']):.0f} ms"),
        ("`python3 -c pass`, median wall", f"{process([sys.executable, '-c', 'pass']):.0f} ms"),
    ]


def main() -> None:
    sections = [("planning", planning), ("composer", composing), ("cli", cli)]
    for module in ("pk_bench", "web_bench", "load_bench"):  # benchmarks other parts add here
        if (Path(__file__).parent / f"{module}.py").exists():
            sys.path.insert(0, str(Path(__file__).parent))
            sections.append((module, importlib.import_module(module).run))
    for title, fn in sections:
        print(f"## {title}")
        for name, figure in fn():
            print(f"  {name}: {figure}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
