"""Plans and published models for the pharmacokinetic tests, built directly from core types."""

from __future__ import annotations

from datetime import date, time, timedelta
from fractions import Fraction

import pytest

from taper.core.pk.model import PkModel, Variability
from taper.core.pk.renal import RenalScaling
from taper.core.pk.view import PkParameters
from taper.core.plan import Composition, Piece, Plan, ScheduledDose, TaperStep

# Published population models (SPEC, pharmacokinetics).
CHEVILLARD = PkModel("chevillard-2017", 2.23, 8.0, 44.5, Variability(0.0, 27.0, 86.0))
IMBERT = PkModel("imbert-2018", 1.64, 11.6, 72.8, Variability(44.0, 21.0, 22.0))
RENAL = RenalScaling(renal_fraction=0.7, reference_crcl_ml_min=100.0)

MORNING, AFTERNOON, EVENING = time(8), time(14), time(20)


def dose(at: time, mg: int | Fraction) -> ScheduledDose:
    mg = Fraction(mg)
    return ScheduledDose(at, mg, Composition((Piece("tab10", mg / 10, mg),)))


def doses(pattern: dict[time, int | Fraction]) -> tuple[ScheduledDose, ...]:
    return tuple(dose(t, mg) for t, mg in sorted(pattern.items()) if mg)


def build_plan(
    baseline: dict[time, int | Fraction],
    steps: list[tuple[int, dict[time, int | Fraction]]],
    start: date = date(2026, 12, 1),
    stop: bool = True,
) -> Plan:
    """A plan of (days, {time: mg}) steps from `start`; stops after the last when `stop`."""
    made: list[TaperStep] = []
    day = start
    previous = sum((Fraction(v) for v in baseline.values()), Fraction(0))
    for i, (days, pattern) in enumerate(steps, start=1):
        daily = sum((Fraction(v) for v in pattern.values()), Fraction(0))
        end = day + timedelta(days=days - 1)
        made.append(TaperStep(i, day, end, daily, doses(pattern), previous, daily))
        previous, day = daily, end + timedelta(days=1)
    return Plan(
        drug_id="baclofen",
        direction="taper",
        start_date=start,
        timezone="Europe/London",
        baseline=doses(baseline),
        steps=tuple(made),
        stop_date=day if stop else None,
        warnings=(),
        supply=(),
        products=(),
    )


def diarist_pattern(daily: int) -> dict[time, int]:
    """The diarist's order: the afternoon dose goes first, then the morning, evening last."""
    evening = min(daily, 20)
    morning = min(daily - evening, 20)
    return {MORNING: morning, AFTERNOON: daily - evening - morning, EVENING: evening}


@pytest.fixture
def diarist_plan() -> Plan:
    """60 mg/day at 08:00/14:00/20:00, cut 5 mg every 5 days from 2026-12-01 to a stop."""
    return build_plan(
        diarist_pattern(60), [(5, diarist_pattern(mg)) for mg in range(55, 0, -5)]
    )


@pytest.fixture
def chevillard() -> PkParameters:
    return PkParameters(CHEVILLARD, RENAL)
