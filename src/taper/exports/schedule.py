"""The plan unrolled: one row per day per dose time, the shape the calendar views share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta

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


def monitoring_dates(stop: date | None, days: int) -> tuple[date, date] | None:
    """The monitoring period after a stop date: the stop date itself (the first day with no
    dose) and the `days` − 1 days after it, first and last day inclusive; None without a
    stop date or with no days. The one definition: the web app's Today and desk use it too.
    """
    if stop is None or days <= 0:
        return None
    return stop, stop + timedelta(days=days - 1)


def monitoring_period(plan: Plan, days: int) -> tuple[date, date] | None:
    """The plan's monitoring period (first and last day), or None (see `monitoring_dates`)."""
    return monitoring_dates(plan.stop_date, days)
