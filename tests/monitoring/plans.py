"""Plans built directly from the core types (no planner needed), and decisions over them."""

from __future__ import annotations

from datetime import date, time, timedelta
from fractions import Fraction
from typing import Any

from taper.core.monitoring.checkin import CheckIn, parse_checkins
from taper.core.monitoring.pacing import PacingDecision, assess
from taper.core.plan import Composition, Piece, Plan, ScheduledDose, TaperStep
from taper.core.products import Solid
from taper.knowledge.monitoring import load_monitoring

TAB20 = Solid("tab20", Fraction(20), divisible_into=4)
TIMES = (time(8), time(14), time(20))
# The forum diarist's split of each daily dose over 08:00/14:00/20:00 (issue 2, seed 003).
DIARIST = {
    60: (20, 20, 20), 55: (20, 15, 20), 50: (15, 15, 20), 45: (15, 15, 15), 40: (15, 10, 15),
    35: (10, 10, 15), 30: (10, 10, 10), 25: (10, 5, 10), 20: (5, 5, 10), 15: (5, 5, 5),
    10: (5, 0, 5), 5: (0, 0, 5),
}


def doses(split: tuple[int, ...]) -> tuple[ScheduledDose, ...]:
    return tuple(
        ScheduledDose(t, Fraction(mg), Composition((Piece("tab20", Fraction(mg, 20), mg),)))
        for t, mg in zip(TIMES, map(Fraction, split), strict=True)
        if mg
    )


def taper_plan(start: date, daily: list[int], step_days: list[int] | int,
               first: int = 60) -> Plan:
    """A taper from `first` mg through `daily`, each step `step_days` long, then stop."""
    lengths = [step_days] * len(daily) if isinstance(step_days, int) else step_days
    steps, day, previous = [], start, first
    for i, (mg, days) in enumerate(zip(daily, lengths, strict=True), start=1):
        split = DIARIST.get(mg) or (mg,)
        dose_list = doses(split) if len(split) == 3 else (
            ScheduledDose(time(20), Fraction(mg), Composition(())),)
        steps.append(TaperStep(i, day, day + timedelta(days=days - 1), Fraction(mg), dose_list,
                               Fraction(previous), Fraction(mg)))
        day, previous = day + timedelta(days=days), mg
    return Plan("baclofen", "taper", start, "America/New_York", doses(DIARIST[first]),
                tuple(steps), day, (), (), (TAB20,))


def diarist_plan() -> Plan:
    """60 mg/day cut 5 mg every 5 days from 2026-12-01; the last dose on 2027-01-24."""
    return taper_plan(date(2026, 12, 1), list(range(55, 0, -5)), 5)


def checkins(items: list[dict[str, Any]], today: date) -> tuple[CheckIn, ...]:
    return parse_checkins(items, load_monitoring("baclofen"), today)


def decide(items: list[dict[str, Any]], today: date, plan: Plan | None = None) -> PacingDecision:
    """The decision for raw check-ins on `today`, against the diarist's plan by default."""
    rules = load_monitoring("baclofen")
    return assess(plan or diarist_plan(), parse_checkins(items, rules, today), today, rules)
