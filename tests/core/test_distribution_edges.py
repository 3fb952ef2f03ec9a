"""Spreads on sparse grids, where the nearest amount to a share cannot be made: the capped
search and the greedy fallback must pick only makeable amounts that still add up, and break
ties as documented (the greedy one to the larger amount)."""

from __future__ import annotations

from datetime import time
from fractions import Fraction as F

import pytest

from taper.core.amount_sets import AmountSets, _amount_sets, _sum_sets, amount_sets
from taper.core.distribution import _capped, _greedy, _level, distribute
from taper.core.products import Liquid, Solid

H8, H12, H20 = time(8), time(12), time(20)
TENS_AND_25S = (Solid("a", F(10)), Solid("b", F(25)))  # 0, 10, 20, 25, 30, 35, ...: no 5 or 15


@pytest.fixture(autouse=True)
def _fresh_sets() -> None:
    _amount_sets.cache_clear()


def mg(allocation: dict[time, F] | None) -> dict[str, F] | None:
    return None if allocation is None else {f"{t:%H:%M}": v for t, v in allocation.items()}


@pytest.mark.hazard("HZ-009")
def test_the_capped_search_takes_only_makeable_amounts_that_add_up() -> None:
    sets = amount_sets(TENS_AND_25S, 2, F(60))
    # 25 mg under 15 and 25 before: the even share of 08:00 is 12.5, but 10 leaves 15 (not
    # makeable) and 15 cannot be made: 0 + 25
    assert mg(_capped(5, (H8, H20), sets, {H8: F(15), H20: F(25)})) == {"08:00": F(0), "20:00": F(25)}
    assert mg(distribute(F(25), (H8, H20), sets, {H8: F(15), H20: F(25)})) == {
        "08:00": F(0), "20:00": F(25)}
    # 35 mg under 25 and 25: 10 + 25
    assert mg(_capped(7, (H8, H20), sets, {H8: F(25), H20: F(25)})) == {"08:00": F(10), "20:00": F(25)}
    # 45 mg under 20 and 25: 20 + 25, the only way
    assert mg(_capped(9, (H8, H20), sets, {H8: F(20), H20: F(25)})) == {"08:00": F(20), "20:00": F(25)}
    assert _capped(9, (H8, H20), sets, {H8: F(15), H20: F(25)}) is None


def test_the_water_level_above_every_cap_is_the_highest_cap() -> None:
    assert _level(30, [9, 2, 5]) == 9
    assert _level(16, [9, 2, 5]) == 9   # exactly full
    assert _level(15, [9, 2, 5]) == 8


def test_the_greedy_spread_breaks_a_tie_to_the_larger_amount() -> None:
    # one 1 mL measure or none, and one 3 mL measure or none: 0, 1, 3 or 4 mg a dose
    products = (Liquid("a", F(1), F(1), F(1), F(1)), Liquid("b", F(1), F(1), F(3), F(3)))
    sets = amount_sets(products, 3, F(6))
    assert sets.per_dose == 0b11011
    # 6 mg over three: the share is 2, which cannot be made; 1 and 3 are as near: 3 first,
    # then 3 + 0 (1 + 1 + 4 if the tie went to the smaller)
    assert mg(_greedy(6, (H12, H8, H20), sets)) == {"12:00": F(0), "08:00": F(3), "20:00": F(3)}


HALVES_OF_10 = (Solid("t10", F(10), 2),)


@pytest.mark.hazard("HZ-009")
def test_a_dose_time_missing_before_had_nothing_even_a_fraction_of_a_mg() -> None:
    # 0.5 mL steps of 1 mg/mL: 2 mg a day as 1 + 1 would bring back 20:00, dropped before
    sets = amount_sets((Liquid("l", F(1), F(1, 2), F(1, 2)),), 2, F(10))
    assert mg(distribute(F(2), (H8, H20), sets, {H8: F(2)})) == {"08:00": F(2), "20:00": F(0)}


def test_on_the_way_down_the_spread_is_judged_by_rises_not_by_falls() -> None:
    sets = amount_sets(HALVES_OF_10, 2, F(100))
    # 20 mg after 45 and 15: 10 + 10 lowers both and raises neither (a titration would keep
    # 20:00 at 15)
    assert mg(distribute(F(20), (H8, H20), sets, {H8: F(45), H20: F(15)})) == {
        "08:00": F(10), "20:00": F(10)}
    assert mg(distribute(F(45), (H8, H20), sets, {H8: F(30), H20: F(30)})) == {
        "08:00": F(20), "20:00": F(25)}


def test_on_the_way_up_the_even_spread_is_taken_only_if_it_lowers_nothing() -> None:
    sets = amount_sets(HALVES_OF_10, 3, F(60))
    # 15 mg after 10 at each: 5 + 5 + 5 lowers all three; 0 + 5 + 10 lowers two, and is the
    # narrowest of those
    assert mg(distribute(F(15), (H12, H8, H20), sets, {H12: F(10), H8: F(10), H20: F(10)},
                         falling=False)) == {"12:00": F(0), "08:00": F(5), "20:00": F(10)}


@pytest.mark.hazard("HZ-009")
def test_amounts_before_between_two_grains_are_rises_when_exceeded_by_any_amount() -> None:
    sets = amount_sets(HALVES_OF_10, 2, F(100))
    # 15 mg after 7.5 at 20:00 only: 5 + 10 would raise 08:00 and 20:00 (10 > 7.5); 0 + 15
    # raises only 20:00
    assert mg(distribute(F(15), (H8, H20), sets, {H20: F(15, 2)})) == {"08:00": F(0), "20:00": F(15)}
    # 90 mg after 32.5 and 17.5: every near spread raises both; the even one
    assert mg(distribute(F(90), (H8, H20), sets, {H8: F(65, 2), H20: F(35, 2)})) == {
        "08:00": F(45), "20:00": F(45)}


def test_the_second_search_looks_6_amounts_either_side_not_7() -> None:
    # a sparse set of amounts (in grains of 1 mg): 0 2 5 8 11 15 17 20 23 24 25 27 28 29 30
    per_dose = sum(1 << n for n in (0, 2, 5, 8, 11, 15, 17, 20, 23, 24, 25, 27, 28, 29, 30))
    per_day = 1
    for _ in range(3):
        per_day = _sum_sets(per_day, per_dose, 30)
    sets = AmountSets(F(1), 30, per_dose, per_day, 3)
    # 29 mg: no three of 2, 5, 8 | 11, 15, 17 add up; of 0, 2, 5, 8 | 11 ... 24, 0 + 5 + 24
    # does (2 + 2 + 25 would need 25, the seventh above the mean)
    assert mg(distribute(F(29), (H12, H8, H20), sets)) == {
        "12:00": F(0), "08:00": F(5), "20:00": F(24)}


@pytest.mark.hazard("HZ-009")
def test_when_every_spread_raises_a_dose_time_the_fewest_rise() -> None:
    # 40 mg after 10 and 10 (more than before: something must rise): 20 + 20 raises both,
    # 10 + 30 only 20:00
    sets = amount_sets(HALVES_OF_10, 2, F(100))
    assert mg(distribute(F(40), (H8, H20), sets, {H8: F(10), H20: F(10)})) == {
        "08:00": F(10), "20:00": F(30)}
