"""Each step at steady state: trough, peak, mean, the change from the step before, and the
longest gap between doses with the level at its end (the overnight gap, SPEC B1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from fractions import Fraction

import numpy as np

from taper.core.pk.curve import DAY_H, Patients
from taper.core.pk.model import NG_ML_PER_MG_L, Floats, separated_ka
from taper.core.pk.schedule import clock_hours
from taper.core.plan import ScheduledDose

# Steady state is read on a one-minute grid plus the dose times themselves (where the
# trough is): the peak is flat enough there that a finer grid changes it by < 0.01 %.
# The band's many patients use five minutes: the peak moves by well under the sampling
# error of a 5th or 95th percentile of 1,000 patients.
TYPICAL_MINUTES = 1
COHORT_MINUTES = 5


@dataclass(frozen=True, slots=True)
class LongestGap:
    """The longest interval between consecutive doses, wrapping past midnight."""

    after: time  # the dose that starts the gap
    before: time  # the dose that ends it
    hours: float
    end_ng_ml: float  # the level just before the dose that ends the gap


@dataclass(frozen=True, slots=True)
class SteadyState:
    """One day at steady state for P patients: the profile and its summary, each (P,)."""

    hours: Floats  # (n,)
    ng_ml: Floats  # (P, n)
    trough: Floats
    peak: Floats
    mean: Floats
    gap: tuple[time, time, float] | None
    gap_end: Floats  # level at the end of the longest gap, (P,)


def steady_state(
    patients: Patients, doses: tuple[ScheduledDose, ...], minutes: int = TYPICAL_MINUTES
) -> SteadyState:
    """The repeating day reached when these doses are taken every day for long enough."""
    given = [d for d in doses if d.mg > 0]
    slots = np.array([clock_hours(d.time) for d in given], dtype=np.float64)
    mg = np.array([float(d.mg) for d in given], dtype=np.float64)
    hours = np.union1d(np.arange(0, 1441, minutes, dtype=np.float64) / 60, slots)
    count = patients.count
    if not given:
        zeros = np.zeros(count)
        return SteadyState(hours, np.zeros((count, hours.size)), zeros, zeros, zeros, None, zeros)
    ke = patients.cl_l_per_h / patients.v_l
    ka = separated_ka(patients.ka_per_h, ke)
    scale = NG_ML_PER_MG_L * ka / (patients.v_l * (ka - ke))
    since = np.mod(hours[None, :] - slots[:, None], DAY_H)  # (K, n), time since each dose

    def repeated(rate: Floats) -> Floats:
        # every past day's dose: Σ e^(−k(Δ + 24 m)) = e^(−kΔ) / (1 − e^(−24k))
        per_dose = np.exp(-rate[:, None, None] * since[None]) / -np.expm1(-rate * DAY_H)[
            :, None, None
        ]
        summed: Floats = np.einsum("k,pkn->pn", mg, per_dose)
        return summed

    conc = scale[:, None] * (repeated(ke) - repeated(ka))
    gap = longest_gap(given)
    gap_end = conc[:, int(np.searchsorted(hours, clock_hours(gap[1])))]
    return SteadyState(
        hours=hours,
        ng_ml=conc,
        trough=conc.min(axis=1),
        peak=conc.max(axis=1),
        mean=np.asarray(np.trapezoid(conc, hours, axis=1), dtype=np.float64) / DAY_H,
        gap=gap,
        gap_end=gap_end,
    )


def longest_gap(doses: list[ScheduledDose]) -> tuple[time, time, float]:
    """(after, before, hours) of the longest gap; on a tie, the one across midnight."""
    ordered = sorted(doses, key=lambda d: d.time)
    gaps = []
    for i, dose in enumerate(ordered):
        following = ordered[(i + 1) % len(ordered)]
        hours = (clock_hours(following.time) - clock_hours(dose.time)) % DAY_H or DAY_H
        gaps.append((hours, following.time <= dose.time, dose.time, following.time))
    hours, _, after, before = max(gaps, key=lambda g: (g[0], g[1]))
    return after, before, hours


def percent_change(now: float, before: float) -> float | None:
    """The change from `before` as a percentage of it (negative for a fall)."""
    if before == 0:
        return None
    return (now - before) * 100 / before


@dataclass(frozen=True, slots=True)
class StepExposure:
    """What one step does to the level of the typical patient, with the band around it."""

    index: int  # 0 for the baseline regimen before the plan
    start_date: date | None
    end_date: date | None
    daily_mg: Fraction
    trough_ng_ml: float
    peak_ng_ml: float
    mean_ng_ml: float
    trough_change_percent: float | None
    peak_change_percent: float | None
    mean_change_percent: float | None
    longest_gap: LongestGap | None
    trough_band: tuple[float, float] | None = None
    peak_band: tuple[float, float] | None = None
    mean_band: tuple[float, float] | None = None
