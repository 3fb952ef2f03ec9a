"""Which amounts the products can make: the bit-set arithmetic against plain sets."""

from __future__ import annotations

from fractions import Fraction as F

from hypothesis import given
from hypothesis import strategies as st

from taper.core.amount_sets import _sum_sets, amount_sets
from taper.core.composer import compose
from taper.core.products import Liquid, Solid

bit_sets = st.integers(min_value=1, max_value=(1 << 80) - 1)


def members(bits: int) -> set[int]:
    return {n for n in range(bits.bit_length()) if bits >> n & 1}


@given(bit_sets, bit_sets, st.integers(0, 120))
def test_sum_of_sets_matches_plain_sets(a: int, b: int, size: int) -> None:
    expected = {x + y for x in members(a) for y in members(b) if x + y <= size}
    assert members(_sum_sets(a, b, size)) == expected


def test_makeable_doses_are_exactly_those_the_composer_can_make() -> None:
    products = (Solid("t10", F(10), 2), Solid("t5", F(5)), Liquid("l", F(1), F(1, 2), F(2)))
    sets = amount_sets(products, 1, F(30))
    for n in range(sets.size + 1):
        assert bool(sets.per_dose >> n & 1) == (compose(sets.mg(n), products) is not None)
