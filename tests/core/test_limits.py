"""The bounded number reader (taper.core.limits): each bound at, just inside, just outside."""

from __future__ import annotations

from decimal import Decimal

import pytest

from taper.core.limits import MAX_NUMBER_CHARS, OutOfBounds, bounded_decimal, has_nul

ONE, THOUSAND = Decimal("0.01"), Decimal(1000)


@pytest.mark.hazard("HZ-120")
@pytest.mark.parametrize("value", ["0.01", "1000", "999.9999", "20", 20, Decimal("5.5"),
                                   " 2.5 ", "1000.0000"])
def test_a_number_inside_its_bounds_is_read_exactly(value: object) -> None:
    assert bounded_decimal(value, ONE, THOUSAND) == Decimal(str(value).strip())


@pytest.mark.hazard("HZ-120")
@pytest.mark.parametrize("value", [
    "0.0099", "1000.0001", "1e99999999", "-1e99999999", "1e-99999999", "Infinity", "inf",
    "-inf", "NaN", "sNaN", "1e308", "1000000", "1e-9", "0.00001", "20.00001", "1_000",
    "1" * (MAX_NUMBER_CHARS + 1), 10**4000, True, 2.5, None, [], "", "twenty",
])
def test_anything_else_is_refused_saying_what_is_accepted(value: object) -> None:
    with pytest.raises(OutOfBounds, match=r"must be a number from 0\.01 to 1000"):
        bounded_decimal(value, ONE, THOUSAND)


@pytest.mark.hazard("HZ-123")
def test_nul_is_found_anywhere_in_a_text() -> None:
    assert has_nul("a\x00") and has_nul("\x00") and not has_nul("a b")
