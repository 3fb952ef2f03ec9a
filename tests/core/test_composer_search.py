"""The composer's search against the exhaustive reference where the random comparison seldom
goes: liquids with a largest measure, liquids with a large smallest measure, products used
the step before, both costs, every amount on the grid; and its edges (0, below 0, off the
grid, no products), the grid itself, and the per-plan Composer."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from taper.core.composer import (
    COSTS,
    Composer,
    CostName,
    _compose,
    _table,
    compose,
    compose_exhaustively,
    composition_cost,
    fraction_gcd,
    granule,
)
from taper.core.plan import Composition, Piece
from taper.core.products import Liquid, Product, Solid

SETS: dict[str, tuple[Product, ...]] = {
    "capped-liquid-and-halves": (Liquid("cap", F(2), F(1, 2), F(1), F(3)), Solid("h10", F(10), 2)),
    "quarters-and-a-liquid-from-2-ml": (Solid("q20", F(20), 4), Liquid("l", F(1), F(1, 2), F(2))),
    "two-liquids-and-whole-5": (Liquid("a", F(1), F(1, 2), F(1, 2), F(2)),
                                Liquid("b", F(5), F(1), F(1), F(2)), Solid("w5", F(5))),
    "whole-and-halves-and-quarters": (Solid("w10", F(10)), Solid("h5", F(5), 2),
                                      Solid("q20", F(20), 4)),
}


@pytest.fixture(autouse=True)
def _fresh_tables() -> None:
    _table.cache_clear()
    _compose.cache_clear()


@pytest.mark.hazard("HZ-001")
@pytest.mark.parametrize("how", COSTS)
@pytest.mark.parametrize("name", sorted(SETS))
def test_the_search_agrees_with_the_exhaustive_reference_on_every_amount(
        name: str, how: CostName) -> None:
    products = SETS[name]
    ids = [p.id for p in products]
    histories = [frozenset(), frozenset(ids[:1]), frozenset(ids[1:]), frozenset(ids[-1:])]
    made = 0
    for quarter in range(0, 4 * 32 + 1):
        amount = F(quarter, 4)
        for previous in histories:
            fast = compose(amount, products, previous, how)
            assert fast == compose_exhaustively(amount, products, previous, how), (
                amount, previous)
            if fast is not None:
                assert fast.mg == amount
                made += 1
    assert made >= 40  # many amounts can be made: the comparison has teeth


@pytest.mark.hazard("HZ-001")
def test_the_edges_of_the_search() -> None:
    products = SETS["capped-liquid-and-halves"]
    assert compose(F(0), products) == Composition(())
    assert compose(F(-5), products) is None
    assert compose(F(1, 3), products) is None       # off the 1 mg grid
    assert compose(F(5), ()) is None
    assert Composer(())(F(5)) is None
    assert Composer(())(F(0)) is None


def test_the_per_plan_composer_gives_the_composers_answers_and_keeps_them() -> None:
    products = SETS["quarters-and-a-liquid-from-2-ml"]
    for how in COSTS:
        composer = Composer(products, how)
        for quarter in range(0, 4 * 45 + 1, 3):
            for previous in (frozenset(), frozenset({"l"})):
                amount = F(quarter, 4)
                assert composer(amount, previous) == compose(amount, products, previous, how)
                assert composer(amount, previous) is composer(amount, previous)
    default = Composer(products)
    # 7 mg: a quarter and 2 mL (tablets first), not 7 mL
    assert default(F(7)) == Composition((Piece("q20", F(1, 4), F(5)), Piece("l", F(2), F(2))))


@pytest.mark.hazard("HZ-002")
def test_a_liquid_is_never_measured_below_its_smallest_or_above_its_largest_volume() -> None:
    capped = SETS["capped-liquid-and-halves"]
    # 2 mg/mL from 1 to 3 mL: 8 mg is 5 + 3 (1.5 mL), never 4 mL; 1 mg cannot be made
    assert compose(F(8), capped) == Composition((Piece("cap", F(3, 2), F(3)),
                                                 Piece("h10", F(1, 2), F(5))))
    assert compose(F(6), capped) == Composition((Piece("cap", F(3), F(6)),))
    assert compose(F(7), capped) == Composition((Piece("cap", F(1), F(2)),
                                                 Piece("h10", F(1, 2), F(5))))
    assert compose(F(1), capped) is None
    assert compose(F(16), capped) == Composition((Piece("cap", F(3), F(6)),
                                                  Piece("h10", F(1), F(10))))
    # 17 mg: 15 + 2, the least liquid (7 mg of it would be more than 3 mL)
    assert compose(F(17), capped) == Composition((Piece("cap", F(1), F(2)),
                                                  Piece("h10", F(3, 2), F(15))))
    from_2 = (Liquid("l", F(1), F(1, 2), F(2)),)
    assert compose(F(3, 2), from_2) is None
    assert compose(F(2), from_2) == Composition((Piece("l", F(2), F(2)),))


def test_stay_with_the_product_used_before_then_fewer_splits_then_the_listed_order() -> None:
    products = SETS["whole-and-halves-and-quarters"]  # 10 whole, 5 in halves, 20 in quarters
    # 10 mg: one 10 mg tablet (one thing, no split) unless another was used before
    assert compose(F(10), products) == Composition((Piece("w10", F(1), F(10)),))
    assert compose(F(10), products, frozenset({"q20"})) == Composition((Piece("q20", F(1, 2), F(10)),))
    # ... but fewer things come first: two 5 mg tablets used before still lose to one 10
    assert compose(F(10), products, frozenset({"h5"})) == Composition((Piece("w10", F(1), F(10)),))
    # 5 mg: one thing either way; a whole 5 mg tablet beats a quarter of 20 (no split)
    assert compose(F(5), products) == Composition((Piece("h5", F(1), F(5)),))
    # 20 mg: one whole 20 beats two 10s (fewer things)
    assert compose(F(20), products) == Composition((Piece("q20", F(1), F(20)),))
    # 30 mg: 1½ of 20 (two things, one product) beats 10 + 20 (two things, two products)
    assert compose(F(30), products) == Composition((Piece("q20", F(3, 2), F(30)),))
    assert composition_cost(compose(F(30), products), products) == (
        F(0), 2, 1, 0, 1, ((2, F(-3, 2)),))
    # with both used before neither way switches: one product still wins
    assert compose(F(30), products, frozenset({"w10", "q20"})) == Composition((
        Piece("q20", F(3, 2), F(30)),))
    # 15 mg: ¾ of 20 (one thing, one split) beats 10 + 5 (two things)
    assert compose(F(15), products) == Composition((Piece("q20", F(3, 4), F(15)),))


def test_tablets_first_takes_the_least_liquid_and_fewest_items_the_fewest_things() -> None:
    products = SETS["two-liquids-and-whole-5"]  # a: 1 mg/mL 0.5-2 mL; b: 5 mg/mL 1-2 mL
    assert compose(F(7), products) == Composition((Piece("a", F(2), F(2)), Piece("w5", F(1), F(5))))
    # two things either way; b is listed before w5
    assert compose(F(7), products, how="fewest_items") == Composition((
        Piece("a", F(2), F(2)), Piece("b", F(1), F(5))))
    assert compose(F(7), products, frozenset({"a", "w5"}), "fewest_items") == Composition((
        Piece("a", F(2), F(2)), Piece("w5", F(1), F(5))))
    assert compose(F(10), products) == Composition((Piece("w5", F(2), F(10)),))
    assert compose(F(10), products, how="fewest_items") == Composition((Piece("b", F(2), F(10)),))
    assert compose(F(11, 2), products) == Composition((Piece("a", F(1, 2), F(1, 2)),
                                                       Piece("w5", F(1), F(5))))


def test_the_common_grid() -> None:
    assert fraction_gcd([F(5), F(10)]) == F(5)
    assert fraction_gcd([F(5, 2), F(1, 3)]) == F(1, 6)
    assert fraction_gcd([F(3, 4), F(1, 2)]) == F(1, 4)
    assert fraction_gcd([F(7)]) == F(7)
    assert granule(Solid("q20", F(20), 4)) == F(5)
    assert granule(Solid("w25", F(25))) == F(25)
    assert granule(Liquid("l", F(5), F(1, 10), F(1))) == F(1, 2)
    grain, order, suffix, step_ml = _table(SETS["capped-liquid-and-halves"], "tablets_first")
    assert grain == F(1)
    assert [(g.index, g.size, g.parts_per_whole, g.lowest, g.highest) for g in order] == [
        (0, 1, 0, 2, 6), (1, 5, 2, 1, None)]  # liquid first under tablets_first
    assert suffix == [1, 5, 0]
    assert step_ml == [1, 0]
    grain, order, suffix, step_ml = _table(SETS["capped-liquid-and-halves"], "fewest_items")
    assert [g.index for g in order] == [1, 0]
    assert suffix == [1, 1, 0]
    assert step_ml == [0, 0]
