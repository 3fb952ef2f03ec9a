"""Amount sets against a plain enumeration (an independent oracle), at every boundary.

For small product sets every makeable dose and daily total is listed by brute force; the bit
sets, `highest_day_total_below` and `lowest_day_total_from` must give exactly the same
answers for every pair of bounds on a quarter-milligram grid, both ends included.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from taper.core.amount_sets import AmountSets, amount_sets
from taper.core.products import Liquid, Product, Solid

LIMIT = F(12)
PRODUCT_SETS: dict[str, tuple[Product, ...]] = {
    "halves-of-5": (Solid("t5", F(5), 2),),
    "whole-10-and-quarters-of-4": (Solid("t10", F(10), 1), Solid("t4", F(4), 4)),
    "liquid-2-to-4-ml": (Liquid("l1", F(1), F(1, 2), F(2), F(4)),),
    "liquid-no-max-and-a-tablet": (Liquid("l2", F(2), F(1), F(1)), Solid("t5", F(5), 1)),
    "liquid-capped-and-halves": (Liquid("l3", F(1), F(1), F(3), F(5)), Solid("t3", F(3), 2)),
}


def one_dose(products: tuple[Product, ...], limit: F) -> set[F]:
    made = {F(0)}
    for p in products:
        if isinstance(p, Solid):
            part = p.strength_mg / p.divisible_into
            grown = set(made)
            for s in made:
                k = 1
                while s + k * part <= limit:
                    grown.add(s + k * part)
                    k += 1
            made = grown
        else:
            volumes, v = [], F(0)
            while v * p.mg_per_ml <= limit:
                if v >= p.min_volume_ml and v > 0 and (p.max_volume_ml is None
                                                       or v <= p.max_volume_ml):
                    volumes.append(v)
                v += p.measure_step_ml
            made |= {s + v * p.mg_per_ml for s in made for v in volumes
                     if s + v * p.mg_per_ml <= limit}
    return made


def day_totals(dose: set[F], times: int, limit: F) -> set[F]:
    totals = {F(0)}
    for _ in range(times):
        totals = {t + d for t in totals for d in dose if t + d <= limit}
    return totals


def bits(sets: AmountSets, value: int) -> set[F]:
    return {sets.mg(i) for i in range(sets.size + 1) if value >> i & 1}


@pytest.mark.parametrize("name", sorted(PRODUCT_SETS))
@pytest.mark.parametrize("times", [1, 2, 3])
def test_the_bit_sets_and_their_searches_agree_with_plain_enumeration(name: str,
                                                                     times: int) -> None:
    products = PRODUCT_SETS[name]
    sets = amount_sets(products, times, LIMIT)
    dose = one_dose(products, LIMIT)
    days = day_totals(dose, times, LIMIT)
    assert bits(sets, sets.per_dose) == dose
    assert bits(sets, sets.per_day) == days
    grid = [F(q, 4) for q in range(0, 4 * int(LIMIT) + 6)]  # bounds are never negative
    for a in grid:
        for b in grid:
            below = [t for t in days if t < a and t <= b]
            assert sets.highest_day_total_below(a, b) == (max(below) if below else None), (a, b)
            within = [t for t in days if a <= t < b]
            assert sets.lowest_day_total_from(a, b) == (min(within) if within else None), (a, b)
