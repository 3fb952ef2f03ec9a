"""Pieces in words: "¾ × 20 mg tablet", "2.5 mL of 1 mg/mL liquid" (SPEC P4).

Pure and exact: amounts come from Fractions through `decimal_str`, never a float, so what
a person reads is exactly what the plan holds. The plan table reuses these words.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from taper.core.amounts import decimal_str
from taper.core.plan import Composition, Piece, ScheduledDose
from taper.core.products import Liquid, Product

# A tablet is split into halves or quarters at most (SPEC P2), so these are the only parts.
_PARTS = {Fraction(0): "", Fraction(1, 4): "¼", Fraction(1, 2): "½", Fraction(3, 4): "¾"}


def units_words(units: Fraction) -> str:
    """A count of tablets in words: "¾", "1", "1¾"; ValueError for a part no tablet has."""
    if units <= 0:
        raise ValueError(f"a piece needs a positive amount, got {units}")
    whole, part = divmod(units, 1)
    if part not in _PARTS:
        raise ValueError(f"{units} is not a whole, half or quarter tablet")
    return f"{whole if whole else ''}{_PARTS[part]}"


def piece_words(piece: Piece, product: Product) -> str:
    """One piece in words, checked against the product it comes from."""
    if piece.product_id != product.id:
        raise ValueError(f"piece of {piece.product_id!r} described with product {product.id!r}")
    if isinstance(product, Liquid):
        return f"{decimal_str(piece.units)} mL of {decimal_str(product.mg_per_ml)} mg/mL liquid"
    if (piece.units * product.divisible_into).denominator != 1:
        raise ValueError(f"{piece.units} of {product.id} cannot be made from its parts")
    return f"{units_words(piece.units)} × {decimal_str(product.strength_mg)} mg {product.form}"


def dose_words(dose: ScheduledDose | Composition, products: Iterable[Product]) -> str:
    """Every piece of a dose in words, joined by " + " ("nothing" for an empty dose)."""
    composition = dose.composition if isinstance(dose, ScheduledDose) else dose
    by_id = {p.id: p for p in products}
    if not composition.pieces:
        return "nothing"
    return " + ".join(piece_words(p, by_id[p.product_id]) for p in composition.pieces)


def mg_words(mg: Fraction) -> str:
    """An amount in mg as exact text: "15 mg", "2.5 mg"."""
    return f"{decimal_str(mg)} mg"
