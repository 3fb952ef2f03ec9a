"""The composer: exact pieces, never a split unscored tablet, optimal against brute force."""

from __future__ import annotations

import random
from fractions import Fraction as F

import pytest

from taper.core.composer import (
    COSTS,
    CostName,
    compose,
    compose_exhaustively,
    composition_cost,
)
from taper.core.plan import Composition, Piece
from taper.core.products import Liquid, Solid
from tests.profile import examples

TAB20Q = Solid("tab20", F(20), 4)
TAB10H = Solid("tab10", F(10), 2)
TAB5 = Solid("tab5", F(5), 1)
SOL1 = Liquid("sol1", F(1), F(1, 10), F(1, 2))


def words(amount: F, products: tuple, previous: frozenset[str] = frozenset(),
          how: CostName = "tablets_first") -> list[tuple]:
    composition = compose(amount, products, previous, how)
    assert composition is not None
    return [(p.product_id, str(p.units)) for p in composition.pieces]


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        pytest.param(F(20), [("tab20", "1")], id="20 mg: one whole tablet"),
        pytest.param(F(15), [("tab20", "3/4")], id="15 mg: three quarters of a 20"),
        pytest.param(F(10), [("tab20", "1/2")], id="10 mg: half of a 20"),
        pytest.param(F(5), [("tab20", "1/4")], id="5 mg: a quarter, staying with the 20"),
        pytest.param(F(35), [("tab20", "7/4")], id="35 mg: one and three quarters"),
    ],
)
def test_diarist_doses_are_made_from_the_20_mg_tablet(amount: F, expected: list) -> None:
    assert words(amount, (TAB20Q, TAB5), frozenset({"tab20"})) == expected


def test_without_history_a_whole_tablet_beats_a_part() -> None:
    assert words(F(5), (TAB20Q, TAB5)) == [("tab5", "1")]


@pytest.mark.hazard("HZ-002")
def test_unscored_tablet_is_never_split() -> None:
    assert compose(F(5, 2), (TAB5,)) is None
    assert compose(F(15, 2), (TAB5, TAB10H)) is None
    assert words(F(15), (TAB5, TAB10H)) == [("tab10", "3/2")]


@pytest.mark.hazard("HZ-002")
def test_liquid_volume_below_the_smallest_measurable_is_refused() -> None:
    assert compose(F(3, 10), (SOL1,)) is None
    assert words(F(1, 2), (SOL1,)) == [("sol1", "1/2")]


@pytest.mark.hazard("HZ-001")
def test_pieces_add_up_exactly() -> None:
    composition = compose(F(473, 10), (TAB20Q, TAB10H, TAB5, SOL1))
    assert composition is not None and composition.mg == F(473, 10)


def _random_product(rng: random.Random, i: int) -> Solid | Liquid:
    if rng.random() < 0.25:
        return Liquid(f"liq{i}", F(rng.choice([1, 2, 5])), F(rng.choice([1, 2, 5]), 2),
                      F(rng.choice([1, 2])))
    return Solid(f"sol{i}", F(rng.choice([2, 5, 10, 15, 20, 25])), rng.choice([1, 2, 4]))


@pytest.mark.hazard("HZ-001")
@pytest.mark.parametrize("how", COSTS)
def test_composer_matches_exhaustive_search_on_thousands_of_cases(how: CostName) -> None:
    rng = random.Random(20261123)
    checked = 0
    cases = examples(200, 400)  # the exhaustive profile (CI) compares all 400
    for _ in range(cases):
        products = tuple(_random_product(rng, i) for i in range(rng.randint(1, 4)))
        amount = F(rng.randint(1, 120), 4)
        previous = frozenset(p.id for p in products if rng.random() < 0.3)
        fast = compose(amount, products, previous, how)
        slow = compose_exhaustively(amount, products, previous, how)
        assert fast == slow, (amount, products, previous)
        if fast is not None:
            assert fast.mg == amount
            assert composition_cost(fast, products, previous, how) == composition_cost(
                slow, products, previous, how)  # type: ignore[arg-type]
            checked += 1
    assert checked > cases // 5  # many random cases are makeable: the comparison has teeth


@pytest.mark.hazard("HZ-010")
def test_tablets_make_what_they_can_and_the_liquid_only_the_rest() -> None:
    # 28.5 mg: 1¼ of a 20 mg tablet, then 3.5 mL of 1 mg/mL for the part tablets cannot make;
    # the old cost poured all of it (28.5 mL, one thing to take).
    assert words(F(57, 2), (TAB10H, SOL1, TAB20Q)) == [("sol1", "7/2"), ("tab20", "5/4")]
    assert words(F(57, 2), (TAB10H, SOL1, TAB20Q), how="fewest_items") == [("sol1", "57/2")]


@pytest.mark.hazard("HZ-010")
def test_a_dose_tablets_can_make_alone_takes_no_liquid() -> None:
    assert words(F(15), (SOL1, TAB5)) == [("tab5", "3")]
    assert words(F(15), (SOL1, TAB5), how="fewest_items") == [("sol1", "15")]


def test_tablets_first_is_the_default_cost() -> None:
    default = compose(F(57, 2), (TAB10H, SOL1, TAB20Q))
    assert default == compose(F(57, 2), (TAB10H, SOL1, TAB20Q), frozenset(), "tablets_first")
    assert default != compose(F(57, 2), (TAB10H, SOL1, TAB20Q), frozenset(), "fewest_items")


def test_a_compositions_cost_counts_volume_things_pieces_switches_and_splits() -> None:
    products = (TAB10H, SOL1, TAB5)
    mixed = Composition((Piece("tab10", F(3, 2), F(15)), Piece("sol1", F(5, 2), F(5, 2)),
                         Piece("tab5", F(2), F(10))))
    # 1½ tablets: two things, one split; 2.5 mL: one thing; two whole tablets: two things.
    expected = (F(5, 2), 5, 3, 2, 1, ((0, -F(3, 2)), (1, -F(5, 2)), (2, -F(2))))
    assert composition_cost(mixed, products, frozenset({"tab10"})) == expected
    assert composition_cost(mixed, products, frozenset({"tab10"}), "fewest_items") == (
        F(0), *expected[1:])
    assert composition_cost(mixed, products)[3] == 0  # no earlier products: no switch


def test_a_liquid_dose_never_needs_more_than_its_largest_volume() -> None:
    capped = Liquid("cap", F(2), F(1), F(1), F(4))  # 2 mg/mL, 1-4 mL a dose
    assert words(F(8), (capped,)) == [("cap", "4")]
    assert compose(F(10), (capped,)) is None
    assert words(F(10), (capped, TAB10H)) == [("tab10", "1")]
