"""HZ-237 at its edges: with a liquid beside a scored tablet over three dose times, the day's
totals just below, at and just above each bound, a bound between two grains, a bound below 0,
and nothing at or above the limit."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from taper.core.amount_sets import _amount_sets, amount_sets
from taper.core.products import Liquid, Solid

# 1 mg/mL from 2 to 3 mL in 0.5 mL steps, and 10 mg tablets in halves: grain 0.5 mg
PRODUCTS = (Liquid("l", F(1), F(1, 2), F(2), F(3)), Solid("h10", F(10), 2))


@pytest.fixture(autouse=True)
def _fresh_sets() -> None:
    _amount_sets.cache_clear()


def totals_up_to(limit: F) -> list[F]:
    """Every day's total by brute force: each dose 0, a measure, tablet halves, or both."""
    liquid = [F(0), *(F(k, 2) for k in range(4, 7))]
    dose = sorted({v + 5 * h for v in liquid for h in range(0, 13) if v + 5 * h <= limit})
    return sorted({a + b + c for a in dose for b in dose for c in dose if a + b + c <= limit})


@pytest.mark.hazard("HZ-237")
def test_the_days_totals_of_a_liquid_and_halves_over_three_doses() -> None:
    sets = amount_sets(PRODUCTS, 3, F(20))
    expected = totals_up_to(F(20))
    assert [sets.mg(n) for n in range(sets.size + 1) if sets.per_day >> n & 1] == expected
    assert sets.per_day.bit_length() == sets.size + 1 == 41   # 20 mg is the last bit
    # 0.5 and 1 mg cannot be made (2 mL at least), nor 1.5; 2 mg can
    assert [t for t in expected if t < 3] == [F(0), F(2), F(5, 2)]


@pytest.mark.hazard("HZ-237")
@pytest.mark.parametrize(("high", "at_most", "expected"), [
    (F(2), F(20), F(0)),          # below 2 mg only 0
    (F(9, 4), F(20), F(2)),       # a bound between two grains
    (F(5, 2), F(20), F(2)),
    (F(21, 4), F(5), F(5)),       # at_most between grains is read down: 5
    (F(21), F(79, 4), F(39, 2)),  # 19.75 -> 19.5
    (F(21), F(-1, 4), None),
])
def test_the_highest_total_below_a_bound(high: F, at_most: F, expected: F | None) -> None:
    assert amount_sets(PRODUCTS, 3, F(20)).highest_day_total_below(high, at_most) == expected


@pytest.mark.hazard("HZ-237")
@pytest.mark.parametrize(("low", "below", "expected"), [
    (F(1, 4), F(20), F(2)),       # the first total after the gap
    (F(2), F(2), None),
    (F(2), F(9, 4), F(2)),        # a bound between two grains
    (F(-1), F(1, 4), F(0)),
    (F(79, 4), F(21), F(20)),     # 19.75 -> 20, the limit itself
    (F(81, 4), F(30), None),      # above the limit: nothing
])
def test_the_lowest_total_from_a_bound(low: F, below: F, expected: F | None) -> None:
    assert amount_sets(PRODUCTS, 3, F(20)).lowest_day_total_from(low, below) == expected
