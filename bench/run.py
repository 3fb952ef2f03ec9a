"""`make bench`: planning speed, composer vs exhaustive search, CLI start-up, and the others.

Prints measured figures, then the verdicts: each goal of issue 17 as a value, its goal,
met or not, and what it was compared against in the same run (bench/results.py), written
to bench/results.json. `make bench-quick` (`--quick`, at most about 3 minutes): fewer
repetitions, the load test on SQLite only at 1,000 patients × 30 days, no web or PK part;
it writes bench/results-quick.json (not committed). Nothing here is a test: a goal missed
is a verdict to read, not a failure.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
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

sys.path.insert(0, str(ROOT / "bench"))
QUICK = "--quick" in sys.argv[1:]
if QUICK:
    os.environ["TAPER_BENCH_QUICK"] = "1"  # the sections' child processes read it

from results import Result, table, verdict, write  # noqa: E402

from taper.contract.request import parse_plan_request  # noqa: E402
from taper.core import composer  # noqa: E402
from taper.core.planner import make_plan  # noqa: E402

Row = tuple[str, str] | Result

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


PLAN_GOALS = {"diarist": 2.0, "long case": 20.0}  # ms, in-process median (issue 17)


def planning() -> list[Row]:
    diarist = json.loads((ROOT / "examples" / "diarist.json").read_text(), parse_float=Decimal)
    requests = {"diarist": parse_plan_request(diarist), "long case": parse_plan_request(LONG_CASE)}
    rows: list[Row] = []
    repeat = 10 if QUICK else 30
    for name, request in requests.items():
        ms = median_ms(lambda r=request: make_plan(r), repeat, clear_caches)
        # CPU time too: on a shared machine the wall clock also counts other processes' turns.
        cpu = median_ms(lambda r=request: make_plan(r), repeat, clear_caches, time.process_time)
        steps = len(make_plan(request).steps)
        rows.append((f"plan {name} ({steps} steps), median, cold caches",
                     f"{ms:.2f} ms wall, {cpu:.2f} ms CPU"))
        # The verdict on CPU time: on a shared machine the wall clock counts others' turns.
        rows.append(verdict(f"{name} plan, in-process median CPU (cold caches)", cpu, "ms", "<=",
                            PLAN_GOALS[name], f"{steps} steps; {ms:.2f} ms wall"))
    return rows


def composing() -> list[Row]:
    request = parse_plan_request(LONG_CASE)
    plan = make_plan(request)
    amounts = sorted({d.mg for s in plan.steps for d in s.doses} | {Fraction(30)})
    products = request.products
    rows: list[Row] = []
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
                rows.append(verdict(f"composer answers differing from exhaustive search ({how})",
                                    worse, "answers", "==", 0,
                                    f"{len(amounts)} doses of the long case, 4 products"))
        ratio = elapsed_by["exhaustive"] / elapsed_by["composer"]
        rows.append((f"composer speed-up over exhaustive ({how})", f"{ratio:.0f}×"))
        rows.append(verdict(f"composer speed-up over exhaustive search ({how})", ratio, "x", ">=",
                            100, f"exhaustive {elapsed_by['exhaustive'] * 1000:.1f} ms, composer "
                            f"{elapsed_by['composer'] * 1000:.2f} ms for the same doses"))
    return rows


def processes(cmds: list[list[str]], repeat: int = 10) -> list[tuple[float, float]]:
    """For each command, the median wall time and median CPU time (user + system, from the
    kernel's account of the finished child) of a whole process, in ms. The commands take
    turns, run by run, so that a change in the machine's load falls on each alike (the
    ratio of two commands measured one after the other swung from 4× to 8× at a load of 5)."""
    walls: list[list[float]] = [[] for _ in cmds]
    cpus: list[list[float]] = [[] for _ in cmds]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}  # this checkout's code
    for cmd in cmds:
        subprocess.run(cmd, check=True, capture_output=True, env=env)  # bytecode, caches warm
    for _ in range(repeat):
        for i, cmd in enumerate(cmds):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=env)
            walls[i].append((time.perf_counter() - start) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[i].append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
                           * 1000)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus, strict=True)]


def cli() -> list[Row]:
    taper = str(Path(sys.executable).parent / "taper")
    repeat = 5 if QUICK else 15
    # An installed CLI runs from bytecode (pip compiles it); a checkout run with
    # PYTHONDONTWRITEBYTECODE set would recompile every module on every start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "taper")],
                   check=True)
    plan, bare = processes([[taper, "plan", str(ROOT / "examples/diarist.json"), "--format", "json"],
                            [sys.executable, "-c", "pass"]], repeat)
    return [
        ("`taper plan examples/diarist.json --format json`, median",
         f"{plan[0]:.0f} ms wall, {plan[1]:.0f} ms CPU"),
        ("`python3 -c pass`, median", f"{bare[0]:.0f} ms wall, {bare[1]:.0f} ms CPU"),
        verdict("`taper plan --format json` whole process / `python3 -c pass` (wall)",
                plan[0] / bare[0], "x", "<=", 6,
                f"{plan[0]:.0f} ms against {bare[0]:.0f} ms wall; CPU {plan[1]:.0f} ms against "
                f"{bare[1]:.0f} ms ({plan[1] / max(bare[1], 1e-9):.1f}x)"),
    ]


def main() -> None:
    sections = [("planning", planning), ("composer", composing), ("cli", cli)]
    extra = ("load_bench",) if QUICK else ("pk_bench", "web_bench", "load_bench")
    for module in extra:  # benchmarks other parts add here
        if (Path(__file__).parent / f"{module}.py").exists():
            sys.path.insert(0, str(Path(__file__).parent))
            sections.append((module, importlib.import_module(module).run))
    results: list[Result] = []
    for title, fn in sections:
        print(f"## {title}")
        for row in fn():
            if isinstance(row, Result):
                results.append(row)
            else:
                print(f"  {row[0]}: {row[1]}")
        sys.stdout.flush()
    out = ROOT / "bench" / ("results-quick.json" if QUICK else "results.json")
    write(out, results, QUICK)
    print(f"## verdicts ({out.relative_to(ROOT)})")
    print(table(results))


if __name__ == "__main__":
    main()
