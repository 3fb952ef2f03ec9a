"""The whole pharmacokinetic view of a plan: per-step figures and the curve with its band."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import numpy as np

from taper.core.pk import DISCLAIMER
from taper.core.pk.curve import DAY_H, Patients, concentration_chunks, grid_hours
from taper.core.pk.model import Floats, PkModel
from taper.core.pk.renal import RenalScaling, for_kidney_function
from taper.core.pk.schedule import dose_schedule
from taper.core.pk.steps import (
    COHORT_MINUTES,
    LongestGap,
    StepExposure,
    percent_change,
    steady_state,
)
from taper.core.pk.variability import (
    BAND_PERCENTILES,
    Band,
    band_of,
    sample_patients,
    typical_patient,
)
from taper.core.plan import Plan, ScheduledDose, TaperStep

DEFAULT_PATIENTS = 1000
DEFAULT_RESOLUTION_MINUTES = 5


@dataclass(frozen=True, slots=True)
class PkParameters:
    """A model and, when the drug's data gives one, how kidney function scales it."""

    model: PkModel
    renal: RenalScaling | None = None


@dataclass(frozen=True, slots=True)
class PkView:
    model: PkModel  # the typical patient, after kidney-function scaling
    crcl_ml_min: float | None
    clearance_factor: float  # CL used / CL published (1 without a CrCl)
    baseline: StepExposure | None  # the regimen before the plan, when there was one
    steps: tuple[StepExposure, ...]
    first_day: date  # hour 0 is this day's local midnight
    resolution_minutes: int
    hours: Floats
    typical_ng_ml: Floats
    band: Band | None  # 5th–95th percentile of the virtual patients, or None
    patients: int  # virtual patients behind the band (0: no band)
    step_start_hours: Floats  # where each step begins on the time axis
    disclaimer: str = DISCLAIMER


def _band(values: Floats) -> tuple[float, float]:
    low, high = np.percentile(values, BAND_PERCENTILES)
    return float(low), float(high)


def _exposure(
    doses: tuple[ScheduledDose, ...],
    typical: Patients,
    cohort: Patients | None,
    before: StepExposure | None,
    step: TaperStep | None,
) -> StepExposure:
    """One step (or the baseline, step None) at steady state, compared with the one before."""
    ss = steady_state(typical, doses)
    gap = None
    if ss.gap is not None:
        gap = LongestGap(ss.gap[0], ss.gap[1], ss.gap[2], float(ss.gap_end[0]))
    trough, peak, mean = float(ss.trough[0]), float(ss.peak[0]), float(ss.mean[0])
    many = None if cohort is None else steady_state(cohort, doses, COHORT_MINUTES)

    def change(now: float, before_value: float) -> float | None:
        return None if before is None else percent_change(now, before_value)

    return StepExposure(
        index=0 if step is None else step.index,
        start_date=None if step is None else step.start_date,
        end_date=None if step is None else step.end_date,
        daily_mg=sum((d.mg for d in doses), Fraction(0)),
        trough_ng_ml=trough,
        peak_ng_ml=peak,
        mean_ng_ml=mean,
        trough_change_percent=change(trough, before.trough_ng_ml if before else 0.0),
        peak_change_percent=change(peak, before.peak_ng_ml if before else 0.0),
        mean_change_percent=change(mean, before.mean_ng_ml if before else 0.0),
        longest_gap=gap,
        trough_band=None if many is None else _band(many.trough),
        peak_band=None if many is None else _band(many.peak),
        mean_band=None if many is None else _band(many.mean),
    )


def run_pk(
    plan: Plan,
    params: PkParameters,
    *,
    crcl_ml_min: float | None = None,
    rng: np.random.Generator | None = None,
    patients: int = DEFAULT_PATIENTS,
    resolution_minutes: int = DEFAULT_RESOLUTION_MINUTES,
) -> PkView:
    """Model a plan: no rng gives the typical patient only; a seeded rng adds the band."""
    model = for_kidney_function(params.model, params.renal, crcl_ml_min)
    factor = model.cl_l_per_h / params.model.cl_l_per_h
    typical = typical_patient(model)
    cohort = None
    if rng is not None:
        drawn = sample_patients(params.model, patients, rng)
        cohort = Patients(drawn.ka_per_h, drawn.cl_l_per_h * factor, drawn.v_l)
    schedule = dose_schedule(plan)
    hours = grid_hours(schedule, resolution_minutes)
    typical_curve = np.concatenate(
        [c[:, 0] for c in concentration_chunks(typical, schedule, resolution_minutes)]
    )
    band = None
    if cohort is not None:
        chunks = concentration_chunks(cohort, schedule, resolution_minutes, dtype=np.float32)
        parts = [band_of(c) for c in chunks]
        band = Band(np.concatenate([b.low for b in parts]), np.concatenate([b.high for b in parts]))
    taking = any(d.mg > 0 for d in plan.baseline)  # a titration from nothing has no baseline
    baseline = _exposure(plan.baseline, typical, cohort, None, None) if taking else None
    steps: list[StepExposure] = []
    before = baseline
    for step in plan.steps:
        before = _exposure(step.doses, typical, cohort, before, step)
        steps.append(before)
    starts = np.array(
        [schedule.day_of(s.start_date) * DAY_H for s in plan.steps], dtype=np.float64
    )
    return PkView(
        model=model,
        crcl_ml_min=crcl_ml_min,
        clearance_factor=factor,
        baseline=baseline,
        steps=tuple(steps),
        first_day=schedule.first_day,
        resolution_minutes=resolution_minutes,
        hours=hours,
        typical_ng_ml=typical_curve,
        band=band,
        patients=0 if cohort is None else cohort.count,
        step_start_hours=starts,
    )
