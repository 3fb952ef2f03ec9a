"""Where today falls after the last reduction: days since it, and the withdrawal window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from taper.core.monitoring.basis import Basis
from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.plan import Plan


@dataclass(frozen=True, slots=True)
class Timeline:
    last_reduction: date | None
    days_since_reduction: int | None
    window: str | None  # early | peak | protracted (data), None before any reduction
    basis: Basis


def reductions(plan: Plan) -> tuple[date, ...]:
    """Every day the daily dose falls: each reducing step's start, and the stop date."""
    days = [s.start_date for s in plan.steps if s.daily_mg < s.previous_daily_mg]
    if plan.stop_date is not None and plan.direction == "taper":
        days.append(plan.stop_date)
    return tuple(sorted(set(days)))


def last_reduction(plan: Plan, today: date) -> date | None:
    return max((d for d in reductions(plan) if d <= today), default=None)


def timeline(plan: Plan, today: date, rules: MonitoringRules) -> Timeline:
    """Days since the last reduction (day 0 is the day of the cut) and its window."""
    last = last_reduction(plan, today)
    days = None if last is None else (today - last).days
    window = None if days is None else rules.window_for(days)
    inputs = {
        "today": today.isoformat(),
        "last_reduction": None if last is None else last.isoformat(),
        "days_since_reduction": days,
        "window": None if window is None else window.name,
    }
    fact = rules.timeline_fact if window is None else window.fact
    return Timeline(last, days, None if window is None else window.name,
                    Basis.of("timeline", fact, inputs))
