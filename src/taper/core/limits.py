"""Bounds on what any input may be, in one place, and the bounded number reader.

These are technical limits, not clinical facts: they keep a request or a check-in small
enough to plan, store and export in well under a second, and far outside any plausible
oral baclofen regimen. Each is marked with why it was chosen. They NEED CLINICAL REVIEW
before they are relied on as anything but a guard against mistakes and attacks (issue 16).

A number is read from text of at most MAX_NUMBER_CHARS characters, must be finite, and is
compared with its field's range while still a Decimal: turning "1e99999999" into a
Fraction would build a 100-million-digit integer (30 s of one worker, holding a lock).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

# Text of a number: "1234.5678" fits; 40 digits of noise do not.
MAX_NUMBER_CHARS = 24
# Digits after the decimal point: a dose or a strength to 0.0001 mg is finer than any
# product is made or measured (policy, technical).
MAX_DECIMAL_PLACES = 4

# Dates: no plan starts before 2000 or after 2099, and no check-in is dated before 2000.
# Python's dates end at 9999-12-31, so a start there leaves no room for a single step.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_START = date(2099, 12, 31)

# Doses and products (mg). The label maximum of oral baclofen is 80-100 mg a day (see the
# knowledge file); 1000 mg per dose or a day is ten times that, so no real regimen is
# refused, while the planner's grid of makeable amounts stays small (policy, technical).
MAX_DOSE_MG = Decimal(1000)
MIN_STRENGTH_MG = Decimal("0.01")  # the smallest part of a product: a 0.01 mg tablet or 0.01 mg/mL
MAX_STRENGTH_MG = Decimal(1000)
MIN_VOLUME_ML = Decimal("0.01")  # an oral syringe measures 0.01 mL at best
MAX_VOLUME_ML = Decimal(1000)

# A step of at most a year, a plan of at most five years: a taper planned longer is a
# mistake in the request (step_days 100 000 was once accepted and no export could print
# it). The planner's own MAX_STEPS (1000) bounds the count of steps (policy, technical).
MAX_STEP_DAYS = 365
MAX_PLAN_DAYS = 5 * 365

# The planner works on a grid of the products' common smallest part (amount_sets.py):
# 20 000 parts is 0.05 mg steps up to 1000 mg, or 0.005 mg up to 100 mg (policy, technical:
# finer grids took minutes; measured in the report of issue 16).
MAX_GRAINS = 20_000

# Lists and texts.
MAX_DOSE_TIMES = 8
MAX_PRODUCTS = 10
MAX_STEPS_LISTED = 200
MAX_ID_CHARS = 64
MAX_LABEL_CHARS = 200
MAX_REASON_CHARS = 1000
MAX_NOTE_CHARS = 2000  # a check-in's or an approval's note: a few paragraphs


class OutOfBounds(ValueError):
    """A value outside its field's bounds; the message says what is accepted."""


def bounded_decimal(value: Any, low: Decimal, high: Decimal,
                    places: int = MAX_DECIMAL_PLACES) -> Decimal:
    """A finite Decimal in [low, high] with at most `places` decimals, read without ever
    expanding an exponent; OutOfBounds says what is accepted."""
    accepted = f"must be a number from {low} to {high}"
    if places:
        accepted += f" with at most {places} decimal places"
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise OutOfBounds(accepted)
    text = value.strip() if isinstance(value, str) else None
    if text is not None and (len(text) > MAX_NUMBER_CHARS or "_" in text):
        raise OutOfBounds(accepted)
    try:
        number = Decimal(text) if text is not None else Decimal(value)
    except (InvalidOperation, ValueError):
        raise OutOfBounds(accepted) from None
    if not number.is_finite() or not low <= number <= high:
        raise OutOfBounds(accepted)
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if exponent < -places and number != number.quantize(Decimal(1).scaleb(-places)):
        raise OutOfBounds(accepted)
    return number


def has_nul(text: str) -> bool:
    """NUL cannot be stored in PostgreSQL text and is never typed on purpose."""
    return "\x00" in text
