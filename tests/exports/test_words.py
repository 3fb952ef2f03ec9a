"""Pieces in words: exact, with ¼ ½ ¾ for tablets and decimals for liquids."""

from __future__ import annotations

from datetime import time
from fractions import Fraction as F

import pytest
from export_plans import SOL1, TAB5, TAB10, TAB20_QUARTERS
from hypothesis import given
from hypothesis import strategies as st

from taper.core.plan import Composition, Piece, ScheduledDose
from taper.core.products import Solid
from taper.exports.words import dose_words, piece_words, units_words

CAPSULE = Solid("cap10", F(10), form="capsule")


@pytest.mark.parametrize(
    ("units", "product", "words"),
    [
        (F(3, 4), TAB20_QUARTERS, "¾ × 20 mg tablet"),
        (F(1, 4), TAB20_QUARTERS, "¼ × 20 mg tablet"),
        (F(7, 4), TAB20_QUARTERS, "1¾ × 20 mg tablet"),
        (F(1), TAB10, "1 × 10 mg tablet"),
        (F(1, 2), TAB10, "½ × 10 mg tablet"),
        (F(2), TAB5, "2 × 5 mg tablet"),
        (F(1), CAPSULE, "1 × 10 mg capsule"),
        (F(5, 2), SOL1, "2.5 mL of 1 mg/mL liquid"),
        (F(1, 10), SOL1, "0.1 mL of 1 mg/mL liquid"),
    ],
    ids=lambda v: str(v) if not hasattr(v, "id") else v.id,
)
def test_piece_words(units, product, words) -> None:
    assert piece_words(Piece(product.id, units, units * F(1)), product) == words


@pytest.mark.parametrize(
    ("units", "product"),
    [(F(1, 2), TAB5), (F(1, 4), TAB10), (F(1, 3), TAB20_QUARTERS), (F(1, 3), SOL1)],
    ids=["unscored 5 mg halved", "10 mg quartered", "a third", "a third of a mL"],
)
def test_a_piece_the_product_cannot_make_is_refused(units, product) -> None:
    with pytest.raises(ValueError):
        piece_words(Piece(product.id, units, F(1)), product)


def test_a_piece_described_with_another_product_is_refused() -> None:
    with pytest.raises(ValueError, match="tab10"):
        piece_words(Piece("tab5", F(1), F(5)), TAB10)


def test_dose_words_joins_pieces() -> None:
    dose = ScheduledDose(
        time(8),
        F(15),
        Composition((Piece("tab10", F(1), F(10)), Piece("sol1", F(5), F(5)))),
    )
    assert dose_words(dose, (TAB10, SOL1)) == "1 × 10 mg tablet + 5 mL of 1 mg/mL liquid"


def test_an_empty_dose_says_nothing() -> None:
    assert dose_words(Composition(()), (TAB10,)) == "nothing"


@given(st.integers(min_value=1, max_value=400))
def test_quarter_words_read_back_to_the_same_amount(quarters: int) -> None:
    text = units_words(F(quarters, 4))
    whole = int(text.rstrip("¼½¾") or 0)
    part = {"¼": F(1, 4), "½": F(1, 2), "¾": F(3, 4)}.get(text[-1], F(0))
    assert whole + part == F(quarters, 4)
