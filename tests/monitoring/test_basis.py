"""Amounts in the decision's words: exact when a decimal can say it, else to 0.001 mg."""

from __future__ import annotations

from fractions import Fraction

import pytest

from taper.core.monitoring.basis import mg_text


@pytest.mark.parametrize(("value", "text"), [
    (Fraction(50), "50"), (Fraction(5, 2), "2.5"), (Fraction(3, 4), "0.75"),
    (Fraction(1, 3), "0.333"), (Fraction(2, 3), "0.667"), (Fraction(100, 3), "33.333"),
    (Fraction(1, 1600), "0.000625")])
def test_an_amount_is_exact_or_rounded_half_up_to_three_places(value: Fraction, text: str) -> None:
    assert mg_text(value) == text
