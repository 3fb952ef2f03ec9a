"""How much of each product a plan needs, and from when (SPEC P7)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
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
    steps = tuple(steps)
    units: dict[str, Fraction] = {}
    first: dict[str, date] = {}
    last: dict[str, date] = {}
    for step in steps:
        lo = max(step.start_date, start) if start else step.start_date
        hi = min(step.end_date, end) if end else step.end_date
        days = (hi - lo).days + 1
        if days <= 0:
            continue
        per_day: dict[str, Fraction] = {}
        for dose in step.doses:
            for piece in dose.composition.pieces:
                pid = piece.product_id
                per_day[pid] = per_day[pid] + piece.units if pid in per_day else piece.units
        for pid, amount in per_day.items():
            units[pid] = units[pid] + amount * days if pid in units else amount * days
            if pid not in first:
                first[pid] = lo  # steps come in date order
            last[pid] = hi
    lines = []
    for product in products:
        if product.id not in units:
            continue
        amount = units[product.id]
        whole = amount if isinstance(product, Liquid) else Fraction(_ceil(amount))
        bottles = discard = None
        if isinstance(product, Liquid) and product.bottle_ml is not None:
            bottles, discard = _bottles(steps, product, start, end)
        lines.append(SupplyLine(product.id, whole, first[product.id], last[product.id],
                                bottles, discard))
    return tuple(lines)


def _bottles(
    steps: Iterable[TaperStep], product: Liquid, start: date | None, end: date | None,
) -> tuple[int, Fraction]:
    """Bottles used day by day: a new one when the open one is past its use-within days or
    holds less than the next measure (a measure is poured from one bottle); the rest of the
    old one is discarded. A measure larger than a whole bottle is poured from two."""
    size = product.bottle_ml
    assert size is not None
    keep = product.use_within_days_after_opening
    bottles, discard, left = 0, Fraction(0), Fraction(0)
    opened: date | None = None
    for step in steps:
        lo = max(step.start_date, start) if start else step.start_date
        hi = min(step.end_date, end) if end else step.end_date
        measures = [p.units for d in step.doses for p in d.composition.pieces
                    if p.product_id == product.id]
        for offset in range((hi - lo).days + 1 if measures else 0):
            day = lo + timedelta(days=offset)
            for ml in measures:
                expired = opened is not None and keep is not None and (day - opened).days >= keep
                if opened is None or expired or (left < ml <= size):
                    discard += left if opened is not None else 0
                    bottles, left, opened = bottles + 1, size, day
                while ml > left:  # only a measure larger than a bottle
                    ml -= left
                    bottles, left, opened = bottles + 1, size, day
                left -= ml
    return bottles, discard
