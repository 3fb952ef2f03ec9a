"""How much of each product a plan needs, and from when (SPEC P7)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from fractions import Fraction

from taper.core.plan import SupplyLine, TaperStep
from taper.core.products import Liquid, Product


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def supply_for(
    steps: Iterable[TaperStep], products: Iterable[Product], start: date | None = None,
    end: date | None = None,
) -> tuple[SupplyLine, ...]:
    """Whole tablets (parts of a split tablet are used later, so only the total is rounded
    up) or exact mL per product, for the days of the steps within [start, end]."""
    units: dict[str, Fraction] = {}
    first: dict[str, date] = {}
    last: dict[str, date] = {}
    for step in steps:
        lo = max(step.start_date, start) if start else step.start_date
        hi = min(step.end_date, end) if end else step.end_date
        days = (hi - lo).days + 1
        if days <= 0:
            continue
        for dose in step.doses:
            for piece in dose.composition.pieces:
                pid = piece.product_id
                units[pid] = units.get(pid, Fraction(0)) + piece.units * days
                first[pid] = min(first.get(pid, lo), lo)
                last[pid] = max(last.get(pid, hi), hi)
    lines = []
    for product in products:
        if product.id not in units:
            continue
        amount = units[product.id]
        whole = amount if isinstance(product, Liquid) else Fraction(_ceil(amount))
        lines.append(SupplyLine(product.id, whole, first[product.id], last[product.id]))
    return tuple(lines)
