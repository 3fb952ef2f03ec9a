"""Spreads on sparse grids, where the nearest amount to a share cannot be made: the capped
search and the greedy fallback must pick only makeable amounts that still add up, and break
ties as documented (the greedy one to the larger amount)."""

from __future__ import annotations

from datetime import time
from fractions import Fraction as F

import pytest

from taper.core.amount_sets import _amount_sets, amount_sets
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
