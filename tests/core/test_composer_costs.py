"""The cost of a choice with no cost named (tablets first), and a liquid whose smallest volume
is not a whole number of measuring steps (its smallest measure is the next whole step)."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from taper.core.composer import Option, _compose, _table, compose, compose_exhaustively, cost
from taper.core.plan import Composition, Piece
from taper.core.products import Liquid, Solid

# 1 mg/mL in 0.5 mL steps, at least 0.75 mL: the smallest measure is 1 mL
ODD_SMALLEST = Liquid("odd", F(1), F(1, 2), F(3, 4))


@pytest.fixture(autouse=True)
def _fresh_tables() -> None:
    _table.cache_clear()
    _compose.cache_clear()


def test_the_cost_counts_liquid_volume_first_unless_told_otherwise() -> None:
    products = (Solid("t5", F(5)), ODD_SMALLEST)
    chosen = [Option(0, F(1), F(5), 1, 0), Option(1, F(3, 2), F(3, 2), 1, 0)]
    assert cost(chosen, frozenset(), products) == (F(3, 2), 2, 2, 0, 0, ((0, F(-1)), (1, F(-3, 2))))
    assert cost(chosen, frozenset(), products, "fewest_items")[0] == 0
    assert cost(chosen, frozenset({"t5"}), products)[3] == 1


@pytest.mark.hazard("HZ-002")
def test_a_smallest_volume_between_two_steps_is_measured_from_the_next_step() -> None:
    assert compose(F(1, 2), (ODD_SMALLEST,)) is None      # 0.5 mL is below 0.75 mL
    assert compose(F(1), (ODD_SMALLEST,)) == Composition((Piece("odd", F(1), F(1)),))
    # 5.5 mg: a 5 mg tablet and 0.5 mL would be the least liquid, but 0.5 mL cannot be
    # measured: 5.5 mL
    assert compose(F(11, 2), (ODD_SMALLEST, Solid("t5", F(5)))) == Composition((
        Piece("odd", F(11, 2), F(11, 2)),))
    assert compose(F(6), (ODD_SMALLEST, Solid("t5", F(5)))) == Composition((
        Piece("odd", F(1), F(1)), Piece("t5", F(1), F(5))))
    for amount in (F(1, 2), F(1), F(11, 2), F(6)):
        for how in ("tablets_first", "fewest_items"):
            products = (ODD_SMALLEST, Solid("t5", F(5)))
            assert compose(amount, products, how=how) == compose_exhaustively(amount, products, how=how)
