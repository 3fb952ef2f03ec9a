"""Exact amounts: every dose is a Fraction from parsing to output, never a float."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

Mg = Fraction


def exact(value: str | int | Decimal | Fraction) -> Fraction:
    """Parse a number exactly; floats are refused because they cannot be exact."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"an exact amount is needed, got {type(value).__name__}")
    if isinstance(value, str):
        return Fraction(Decimal(value.strip()))
    return Fraction(value)


def is_terminating(value: Fraction) -> bool:
    """True when the value has a finite decimal expansion (denominator 2^a 5^b)."""
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def decimal_str(value: Fraction) -> str:
    """Exact decimal text ("0.75", "20", "2.5"); raises for a non-terminating value."""
    if not is_terminating(value):
        raise ValueError(f"{value} has no exact decimal form")
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole, rest = divmod(value.numerator, value.denominator)
    if rest == 0:
        return f"{sign}{whole}"
    digits = []
    num = rest
    while num:
        num *= 10
        digit, num = divmod(num, value.denominator)
        digits.append(str(digit))
    return f"{sign}{whole}.{''.join(digits)}"


def rounded_str(value: Fraction, places: int = 1) -> str:
    """A display figure (a percentage, never a dose), rounded half up to `places`."""
    scale = 10**places
    scaled = value * scale
    sign = -1 if scaled < 0 else 1
    n = int(abs(scaled) + Fraction(1, 2)) * sign
    text = decimal_str(Fraction(n, scale))
    return text
