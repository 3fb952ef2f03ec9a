"""The ways to use one product in a dose (`options`, the exhaustive reference's menu) and the
cost of a given composition, read in full: units, mg, things and splits, largest first, every
liquid volume between its smallest and largest measure and under the dose."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from taper.core.composer import Option, compose, compose_exhaustively, composition_cost, options
from taper.core.plan import Composition, Piece
from taper.core.products import Liquid, Solid

CAPPED = Liquid("cap", F(2), F(1, 2), F(1), F(3))  # 2 mg/mL, 1 to 3 mL in 0.5 mL steps
QUARTERS = Solid("q20", F(20), 4)


@pytest.mark.hazard("HZ-002")
def test_a_capped_liquid_offers_each_measure_from_its_largest_to_its_smallest() -> None:
    # up to 10 mg: 5 mL would be 10 mg, but the largest measure is 3 mL
    assert list(options(3, CAPPED, F(10))) == [
        Option(3, F(3), F(6), 1, 0), Option(3, F(5, 2), F(5), 1, 0), Option(3, F(2), F(4), 1, 0),
        Option(3, F(3, 2), F(3), 1, 0), Option(3, F(1), F(2), 1, 0)]


def test_a_liquid_offers_no_more_than_the_dose_and_no_less_than_its_smallest_measure() -> None:
    # up to 5 mg: 2.5 mL, then down to 1 mL
    assert [o.units for o in options(0, CAPPED, F(5))] == [F(5, 2), F(2), F(3, 2), F(1)]
    # up to 5.9 mg: still 2.5 mL (3 mL would be 6 mg)
    assert [o.units for o in options(0, CAPPED, F(59, 10))] == [F(5, 2), F(2), F(3, 2), F(1)]
    assert [o.units for o in options(0, CAPPED, F(6))] == [F(3), F(5, 2), F(2), F(3, 2), F(1)]
    # below the smallest measure (1 mL = 2 mg): nothing
    assert list(options(0, CAPPED, F(19, 10))) == []
    uncapped = Liquid("l", F(2), F(1, 2), F(1))
    assert [o.units for o in options(0, uncapped, F(8))] == [
        F(4), F(7, 2), F(3), F(5, 2), F(2), F(3, 2), F(1)]


def test_a_tablet_offers_whole_and_part_counts_with_their_things_and_splits() -> None:
    assert list(options(1, QUARTERS, F(30))) == [
        Option(1, F(3, 2), F(30), 2, 1),   # 1½: a whole and a part, one split
        Option(1, F(5, 4), F(25), 2, 1),
        Option(1, F(1), F(20), 1, 0),
        Option(1, F(3, 4), F(15), 1, 1),
        Option(1, F(1, 2), F(10), 1, 1),
        Option(1, F(1, 4), F(5), 1, 1)]
    assert list(options(0, Solid("t10", F(10)), F(25))) == [
        Option(0, F(2), F(20), 2, 0), Option(0, F(1), F(10), 1, 0)]
    assert list(options(0, QUARTERS, F(4))) == []


@pytest.mark.hazard("HZ-002")
def test_the_exhaustive_reference_respects_a_liquids_largest_measure() -> None:
    assert compose_exhaustively(F(8), (CAPPED,)) is None  # 4 mL is above 3 mL
    assert compose_exhaustively(F(6), (CAPPED,)) == Composition((Piece("cap", F(3), F(6)),))
    products = (CAPPED, QUARTERS)
    for how in ("tablets_first", "fewest_items"):
        for amount in (F(6), F(7), F(8), F(11), F(26)):
            assert compose_exhaustively(amount, products, how=how) == compose(
                amount, products, how=how), (amount, how)
    # 11 mg: 10 mg of tablet and 0.5 mL is not measurable (1 mL at least): 5 + 3 mL
    assert compose_exhaustively(F(11), products) == Composition((
        Piece("cap", F(3), F(6)), Piece("q20", F(1, 4), F(5))))


def test_the_cost_of_a_liquid_only_composition() -> None:
    products = (QUARTERS, CAPPED)
    liquid = Composition((Piece("cap", F(5, 2), F(5)),))
    assert composition_cost(liquid, products) == (F(5, 2), 1, 1, 0, 0, ((1, -F(5, 2)),))
    assert composition_cost(liquid, products, frozenset({"q20"})) == (
        F(5, 2), 1, 1, 1, 0, ((1, -F(5, 2)),))
    assert composition_cost(liquid, products, frozenset({"cap"}), "fewest_items") == (
        F(0), 1, 1, 0, 0, ((1, -F(5, 2)),))


def test_the_cost_of_whole_and_part_tablets() -> None:
    products = (QUARTERS,)
    assert composition_cost(Composition((Piece("q20", F(2), F(40)),)), products) == (
        F(0), 2, 1, 0, 0, ((0, -F(2)),))
    assert composition_cost(Composition((Piece("q20", F(7, 4), F(35)),)), products) == (
        F(0), 2, 1, 0, 1, ((0, -F(7, 4)),))
    assert composition_cost(Composition((Piece("q20", F(3, 4), F(15)),)), products) == (
        F(0), 1, 1, 0, 1, ((0, -F(3, 4)),))
    assert composition_cost(Composition(()), products) == (F(0), 0, 0, 0, 0, ())


@pytest.mark.hazard("HZ-010")
def test_compose_without_a_cost_named_uses_tablets_first() -> None:
    products = (QUARTERS, Liquid("l", F(1), F(1, 2), F(1, 2)))
    # 6 mg: a quarter and 1 mL (tablets first) or 6 mL (one thing)
    assert compose(F(6), products) == Composition((
        Piece("q20", F(1, 4), F(5)), Piece("l", F(1), F(1))))
    assert compose(F(6), products, how="fewest_items") == Composition((Piece("l", F(6), F(6)),))
    assert compose_exhaustively(F(6), products) == compose(F(6), products)
    assert composition_cost(compose(F(6), products), products)[0] == F(1)
