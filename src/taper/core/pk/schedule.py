"""A plan's doses as the model needs them: clock-time slots and each day's mg per slot.

Time is hours from local midnight of the plan's first day, counted as 24 h a day. A
daylight-saving change shifts real elapsed time by an hour on two nights a year; the model
ignores that on purpose (its uncertainty is far larger) and docs/pk.md says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import numpy as np

from taper.core.pk.model import Floats
from taper.core.plan import Plan, ScheduledDose

TAIL_DAYS = 2  # days shown after the stop, so the curve reaches (near) zero


def clock_hours(t: time) -> float:
    return t.hour + t.minute / 60 + t.second / 3600


@dataclass(frozen=True, slots=True)
class DoseSchedule:
    """Every dose slot of the plan (K clock times) and the mg in each on each day."""

    first_day: date
    slot_hours: Floats  # (K,) sorted clock times in hours
    day_mg: Floats  # (days, K) mg per slot per day; the float copy of exact doses
    baseline_mg: Floats  # (K,) the regimen taken long before day 0 (steady state)

    @property
    def days(self) -> int:
        return int(self.day_mg.shape[0])

    def day_of(self, day: date) -> int:
        return (day - self.first_day).days


def slot_mg(doses: tuple[ScheduledDose, ...], slots: list[time]) -> list[float]:
    """mg per slot; the only place a dose becomes a float (curves, never doses)."""
    mg = [0.0] * len(slots)
    for d in doses:
        mg[slots.index(d.time)] += float(d.mg)
    return mg


def last_day(plan: Plan) -> date:
    """The last day the curve shows: a few days past the stop, or the last step's end."""
    if plan.stop_date is not None:
        return plan.stop_date + timedelta(days=TAIL_DAYS - 1)
    if plan.steps:
        return plan.steps[-1].end_date
    return plan.start_date


def dose_schedule(plan: Plan) -> DoseSchedule:
    """The plan laid out day by day; days before the first step take the baseline doses."""
    slots = sorted(
        {d.time for d in plan.baseline} | {d.time for s in plan.steps for d in s.doses}
    )
    baseline = slot_mg(plan.baseline, slots)
    first = min([plan.start_date, *(s.start_date for s in plan.steps)])
    first_step = plan.steps[0].start_date if plan.steps else None
    n_days = (last_day(plan) - first).days + 1
    rows = []
    for offset in range(n_days):
        day = first + timedelta(days=offset)
        step = plan.step_on(day)
        if step is not None:
            rows.append(slot_mg(step.doses, slots))
        elif first_step is not None and day < first_step:
            rows.append(baseline)
        else:
            rows.append([0.0] * len(slots))
    return DoseSchedule(
        first_day=first,
        slot_hours=np.array([clock_hours(t) for t in slots], dtype=np.float64),
        day_mg=np.array(rows, dtype=np.float64).reshape(n_days, len(slots)),
        baseline_mg=np.array(baseline, dtype=np.float64),
    )
