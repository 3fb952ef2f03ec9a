"""The bit sets hold exactly the makeable amounts up to the limit: not one bit above it.

The oracle test reads bits 0..size only; these compare the whole integers, so an amount made
beyond the limit (a mask one bit too wide) is caught where it is made, not hidden by a later
mask. The limit is chosen so that the next tablet part lies just above it.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from taper.core.amount_sets import AmountSets, _amount_sets, amount_sets
from taper.core.products import Liquid, Product, Solid
from tests.core.test_amount_sets_oracle import PRODUCT_SETS, day_totals, one_dose


@pytest.fixture(autouse=True)
def _fresh_sets() -> None:
    _amount_sets.cache_clear()  # every test builds its sets (and mutation runs see it do so)


def as_bits(amounts: set[F], grain: F) -> int:
    value = 0
    for mg in amounts:
        index = mg / grain
        assert index.denominator == 1
        value |= 1 << int(index)
    return value


@pytest.mark.parametrize("limit", [F(12), F(25, 2), F(10), F(5)])
@pytest.mark.parametrize("name", sorted(PRODUCT_SETS))
@pytest.mark.parametrize("times", [1, 2, 3])
def test_the_sets_are_exactly_the_makeable_amounts_and_nothing_above_the_limit(
        name: str, times: int, limit: F) -> None:
    products = PRODUCT_SETS[name]
    sets = amount_sets(products, times, limit)
    dose = one_dose(products, limit)
    assert sets.size == int(limit / sets.grain)
    assert sets.per_dose == as_bits(dose, sets.grain)
    assert sets.per_day == as_bits(day_totals(dose, times, limit), sets.grain)
    assert sets.per_dose.bit_length() <= sets.size + 1
    assert sets.dose_times == times


def test_halves_of_5_up_to_12_mg_stop_at_10_mg() -> None:
    sets = amount_sets((Solid("t5", F(5), 2),), 1, F(12))
    assert (sets.grain, sets.size) == (F(5, 2), 4)
    assert sets.per_dose == 0b11111  # 0, 2.5, 5, 7.5, 10 mg; 12.5 mg is above the limit
    assert sets.per_day == 0b11111


def test_a_liquid_gives_none_or_one_measurable_volume_up_to_its_cap() -> None:
    # 1 mg/mL in 0.5 mL steps, 2 to 4 mL: 0, or 2, 2.5, 3, 3.5, 4 mg; nothing in between
    liquid = Liquid("l", F(1), F(1, 2), F(2), F(4))
    sets = amount_sets((liquid,), 2, F(6))
    assert sets.grain == F(1, 2)
    assert sets.per_dose == 1 | (0b11111 << 4)
    # two doses a day: 0, one measure (2..4) or two (4..8, cut at 6)
    assert sets.per_day == 1 | (0b111111111 << 4)


def test_a_liquid_from_its_smallest_step_makes_every_step_up_to_the_limit() -> None:
    liquid = Liquid("l", F(2), F(1), F(1))
    sets = amount_sets((liquid,), 1, F(7))
    assert (sets.grain, sets.size) == (F(2), 3)
    assert sets.per_dose == 0b1111  # 0, 2, 4, 6 mg; 8 mg is above the limit


def sets_of(products: tuple[Product, ...], times: int = 1, limit: F = F(12)) -> AmountSets:
    return amount_sets(products, times, limit)


@pytest.mark.parametrize(("high", "at_most", "expected"), [
    (F(0), F(10), None),         # nothing is below 0
    (F(-1), F(10), None),
    (F(1, 4), F(10), F(0)),      # just above 0: no dose is the only total below it
    (F(5), F(10), F(5, 2)),      # strictly below `high`
    (F(51, 10), F(10), F(5)),
    (F(20), F(10), F(10)),       # at most `at_most`, included
    (F(20), F(99, 10), F(15, 2)),
    (F(20), F(0), F(0)),
    (F(20), F(-1, 10), None),    # a bound below 0 leaves nothing, even a fraction of a grain
    (F(20), F(1, 10), F(0)),
    (F(100), F(100), F(10)),     # nothing above the limit (12) is makeable
])
def test_highest_day_total_below_at_its_bounds(high: F, at_most: F, expected: F | None) -> None:
    sets = sets_of((Solid("t5", F(5), 2),))
    assert sets.highest_day_total_below(high, at_most) == expected


@pytest.mark.parametrize(("low", "below", "expected"), [
    (F(0), F(1), F(0)),
    (F(-5), F(1), F(0)),         # a negative bound starts at 0
    (F(1, 4), F(5), F(5, 2)),
    (F(5, 2), F(5), F(5, 2)),    # `low` included
    (F(5, 2), F(5, 2), None),    # `below` excluded
    (F(11, 4), F(5), None),
    (F(11, 4), F(21, 4), F(5)),
    (F(10), F(100), F(10)),
    (F(41, 4), F(100), None),    # above the highest makeable total
])
def test_lowest_day_total_from_at_its_bounds(low: F, below: F, expected: F | None) -> None:
    sets = sets_of((Solid("t5", F(5), 2),))
    assert sets.lowest_day_total_from(low, below) == expected


def test_lowest_day_total_from_finds_the_first_total_after_a_gap() -> None:
    # a liquid from 2 mL: 0, then 2..4 mg; the first at or above 1/2 mg is 2 mg
    sets = sets_of((Liquid("l", F(1), F(1, 2), F(2), F(4)),), 1, F(6))
    assert sets.lowest_day_total_from(F(1, 2), F(6)) == F(2)
    assert sets.lowest_day_total_from(F(5, 2), F(6)) == F(5, 2)
    assert sets.lowest_day_total_from(F(9, 2), F(6)) is None
    assert sets.highest_day_total_below(F(2), F(6)) == F(0)
    assert sets.highest_day_total_below(F(6), F(6)) == F(4)
