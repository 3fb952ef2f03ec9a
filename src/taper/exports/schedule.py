"""The plan unrolled: one row per day per dose time, the shape the calendar views share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time

from taper.core.plan import Plan, ScheduledDose, TaperStep


@dataclass(frozen=True, slots=True)
class DoseRow:
    """What to take at one dose time on one day."""

    day: date
    step: TaperStep
    dose: ScheduledDose

    @property
    def time(self) -> time:
        return self.dose.time


def dose_rows(plan: Plan) -> Iterator[DoseRow]:
    """Every dose of the plan in order of day, then time; dose times with no dose are left out."""
    for day, step in plan.days():
        for dose in sorted(step.doses, key=lambda d: d.time):
            if dose.mg > 0:
                yield DoseRow(day, step, dose)


def dose_times(plan: Plan) -> tuple[time, ...]:
    """Every dose time used by any step, sorted (the columns of a day-by-day calendar)."""
    return tuple(sorted({d.time for s in plan.steps for d in s.doses if d.mg > 0}))
