"""Pharmacokinetic benchmark: 1,000 virtual patients over a 180-day plan at 5-minute
resolution, vectorised, against a straightforward per-patient loop in the same run.

The loop (dose-by-dose superposition, one patient at a time) is timed on a subset and
extrapolated linearly to 1,000 patients; the report says so. Goals (issue 7): vectorised
under 1 s, at least 50× faster than the loop, peak memory under 500 MB.
"""

from __future__ import annotations

import time as clock
import tracemalloc
from datetime import date, time, timedelta
from fractions import Fraction

import numpy as np

from taper.core.pk.curve import Patients, concentration_chunks, grid_hours
from taper.core.pk.model import PkModel, Variability, concentration_ng_ml
from taper.core.pk.schedule import clock_hours, dose_schedule
from taper.core.pk.variability import Band, band_of, sample_patients
from taper.core.pk.view import PkParameters, run_pk
from taper.core.plan import Composition, Piece, Plan, ScheduledDose, TaperStep

PATIENTS = 1000
LOOP_SUBSET = 20
RESOLUTION_MINUTES = 5
IMBERT = PkModel("imbert-2018", 1.64, 11.6, 72.8, Variability(44.0, 21.0, 22.0))
TIMES = (time(8), time(14), time(20))


def _doses(daily: int) -> tuple[ScheduledDose, ...]:
    third = Fraction(daily, 3)
    return tuple(ScheduledDose(t, third, Composition((Piece("x", third, third),))) for t in TIMES)


def long_plan() -> Plan:
    """60 mg/day in three doses, cut 5 mg every 15 days: 12 steps, 180 days, then a stop."""
    start, steps = date(2026, 12, 1), []
    for i, daily in enumerate(range(60, 0, -5), start=1):
        first = start + timedelta(days=15 * (i - 1))
        steps.append(TaperStep(i, first, first + timedelta(days=14), Fraction(daily),
                               _doses(daily), Fraction(daily + 5), Fraction(daily)))
    return Plan("baclofen", "taper", start, "Europe/London", _doses(65), tuple(steps),
                start + timedelta(days=180), (), (), ())


def vectorised(plan: Plan, cohort: Patients) -> Band:
    schedule = dose_schedule(plan)
    chunks = concentration_chunks(cohort, schedule, RESOLUTION_MINUTES, dtype=np.float32)
    parts = [band_of(c) for c in chunks]
    return Band(np.concatenate([b.low for b in parts]), np.concatenate([b.high for b in parts]))


def loop(plan: Plan, cohort: Patients, count: int) -> np.ndarray:
    """The obvious version: each patient on its own, each dose superposed on the grid."""
    hours = grid_hours(dose_schedule(plan), RESOLUTION_MINUTES)
    times, mg = [], []
    for back in range(20, 0, -1):  # the baseline, long enough to reach steady state
        times += [-24.0 * back + clock_hours(d.time) for d in plan.baseline]
        mg += [float(d.mg) for d in plan.baseline]
    for day, step in plan.days():
        times += [24.0 * (day - plan.start_date).days + clock_hours(d.time) for d in step.doses]
        mg += [float(d.mg) for d in step.doses]
    curves = [
        concentration_ng_ml(
            PkModel("p", cohort.ka_per_h[p], cohort.cl_l_per_h[p], cohort.v_l[p]),
            np.array(times), np.array(mg), hours,
        )
        for p in range(count)
    ]
    return np.array(curves)


def run() -> list[tuple[str, str]]:
    plan = long_plan()
    cohort = sample_patients(IMBERT, PATIENTS, np.random.default_rng(2026))
    points = grid_hours(dose_schedule(plan), RESOLUTION_MINUTES).size
    vectorised(plan, cohort)  # warm up (imports, first allocations)
    best = min(_timed(lambda: vectorised(plan, cohort)) for _ in range(3))
    subset = Patients(*(a[:LOOP_SUBSET] for a in (cohort.ka_per_h, cohort.cl_l_per_h, cohort.v_l)))
    loop_subset = _timed(lambda: loop(plan, subset, LOOP_SUBSET))
    loop_total = loop_subset * PATIENTS / LOOP_SUBSET
    whole = _timed(lambda: run_pk(plan, PkParameters(IMBERT), rng=np.random.default_rng(1)))
    tracemalloc.start()
    vectorised(plan, cohort)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return [
        ("pk: grid", f"{PATIENTS} patients × {points} points (180 days at 5 min)"),
        ("pk: vectorised, 1,000 patients (best of 3)", f"{best:.3f} s"),
        (f"pk: per-patient loop, {LOOP_SUBSET} patients measured", f"{loop_subset:.3f} s"),
        ("pk: per-patient loop, 1,000 patients (extrapolated ×50)", f"{loop_total:.1f} s"),
        ("pk: speed-up", f"{loop_total / best:.0f}×"),
        ("pk: whole view (run_pk: curve, band, 12 steps with bands)", f"{whole:.3f} s"),
        ("pk: peak memory, vectorised (tracemalloc)", f"{peak / 2**20:.0f} MB"),
    ]


def _timed(work: object) -> float:
    start = clock.perf_counter()
    work()  # type: ignore[operator]
    return clock.perf_counter() - start


if __name__ == "__main__":
    for name, figure in run():
        print(f"{name}: {figure}")
