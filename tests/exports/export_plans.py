"""Plans built directly from core types, so exports are tested without the planner."""

from __future__ import annotations

from datetime import date, time, timedelta
from fractions import Fraction as F

from taper.core.plan import Composition, Piece, Plan, ScheduledDose, SupplyLine, TaperStep
from taper.core.products import Liquid, Product, Solid

TAB20_QUARTERS = Solid("tab20", F(20), divisible_into=4, label="20 mg tablet, cut in quarters")
TAB10 = Solid("tab10", F(10), divisible_into=2)
TAB10_WHOLE = Solid("tab10", F(10))  # unscored: the 5 mg parts come from the liquid
TAB5 = Solid("tab5", F(5))
SOL1 = Liquid("sol1", F(1), F("0.1"), F("0.5"))
TIMES = (time(8), time(14), time(20))
# The diarist (seed 003): the afternoon dose is cut first, then the morning, evening last.
CUT_ORDER = (1, 0, 2)


def compose(mg: F, products: tuple[Product, ...]) -> Composition:
    """Greedy pieces for a test plan: largest tablet parts first, a liquid for the rest."""
    pieces = []
    left = mg
    for product in products:
        if isinstance(product, Solid):
            units = (left // product.smallest_part_mg) * F(1, product.divisible_into)
            if units:
                pieces.append(Piece(product.id, units, units * product.strength_mg))
                left -= units * product.strength_mg
        elif left:
            pieces.append(Piece(product.id, left / product.mg_per_ml, left))
            left = F(0)
    assert left == 0, f"{mg} mg cannot be made"
    return Composition(tuple(pieces))


def split(daily: F) -> list[F]:
    """The day's dose over 08:00/14:00/20:00 from 20 mg each, cutting in CUT_ORDER."""
    per_time = [F(20)] * 3
    cut = F(60) - daily
    for i in CUT_ORDER:
        take = min(cut, per_time[i])
        per_time[i] -= take
        cut -= take
    return per_time


def diarist_plan(
    start: date = date(2026, 12, 1),
    tz: str = "America/New_York",
    products: tuple[Product, ...] = (TAB20_QUARTERS,),
    step_days: int = 5,
    steps: int = 11,
    supply: tuple[SupplyLine, ...] = (),
    cut: F = F(5),
) -> Plan:
    """60 mg/day at 08:00/14:00/20:00, minus `cut` mg every `step_days` days (seed 003)."""
    built, day, previous = [], start, F(60)
    for index in range(1, steps + 1):
        daily = F(60) - cut * index
        doses = tuple(
            ScheduledDose(t, mg, compose(mg, products))
            for t, mg in zip(TIMES, split(daily), strict=True)
            if mg
        )
        end = day + timedelta(days=step_days - 1)
        built.append(TaperStep(index, day, end, daily, doses, previous, daily))
        day, previous = end + timedelta(days=1), daily
    stop = day if built[-1].daily_mg == cut else None
    baseline = tuple(ScheduledDose(t, F(20), Composition(())) for t in TIMES)
    return Plan("baclofen", "taper", start, tz, baseline, tuple(built), stop, (), supply, products)
