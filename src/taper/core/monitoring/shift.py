"""Applying a hold to a plan: the current step grows, every later step moves later.

A hold never moves a reduction earlier and never changes a dose; it only delays.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from taper.core.plan import Plan, PlanWarning, SupplyLine, TaperStep


@dataclass(frozen=True, slots=True)
class PlanChange:
    """What a hold does to the plan, for the decision's output."""

    step: int | None  # the step extended (None: the plan had not started)
    days: int
    next_change_was: date | None
    next_change_now: date | None


def _later(day: date, days: int) -> date:
    return day + timedelta(days=days)


def hold_plan(plan: Plan, today: date, days: int) -> tuple[Plan, PlanChange]:
    """The plan with the step in force today extended by `days`, later steps shifted."""
    if days < 0:
        raise ValueError("days: a hold can only delay (0 or more days)")
    current = plan.step_on(today)
    if today < plan.start_date:
        # Not started: the whole plan (first cut included) starts later.
        moved_from, boundary = 0, plan.start_date
    elif current is None:
        return plan, PlanChange(None, 0, None, None)  # after the stop: nothing left to delay
    else:
        # Steps after the current one move (indexes are 1-based), from the day after it ends.
        moved_from, boundary = current.index, _later(current.end_date, 1)
    steps: list[TaperStep] = []
    for step in plan.steps:
        if step.index <= moved_from:
            end = _later(step.end_date, days) if step.index == moved_from else step.end_date
            steps.append(replace(step, end_date=end))
        else:
            steps.append(replace(step, start_date=_later(step.start_date, days),
                                 end_date=_later(step.end_date, days)))
    stop = None if plan.stop_date is None else _later(plan.stop_date, days)
    supply = tuple(_shift_supply(line, boundary, days) for line in plan.supply)
    warning = PlanWarning(
        code="held",
        message=(f"Held {days} day(s) on {today.isoformat()}: later steps start"
                 f" {days} day(s) later."
                 " Supply counts were made before the hold; the current dose is needed"
                 f" for {days} more day(s)."),
        step=None if moved_from == 0 else moved_from,
        details={"days": str(days), "on": today.isoformat()},
    )
    held = replace(
        plan,
        start_date=_later(plan.start_date, days) if moved_from == 0 else plan.start_date,
        steps=tuple(steps),
        stop_date=stop,
        supply=supply,
        warnings=(*plan.warnings, warning) if days else plan.warnings,
    )
    has_next = any(s.index > moved_from for s in plan.steps) or plan.stop_date is not None
    was = boundary if has_next else None
    change = PlanChange(None if moved_from == 0 else moved_from, days, was,
                        None if was is None else _later(was, days))
    return held, change


def _shift_supply(line: SupplyLine, boundary: date, days: int) -> SupplyLine:
    """Dates on or after the moved boundary move with the steps; quantities are not recounted."""
    first = _later(line.first_needed, days) if line.first_needed >= boundary else line.first_needed
    last = _later(line.last_needed, days) if line.last_needed >= boundary else line.last_needed
    return replace(line, first_needed=first, last_needed=last)
