"""Quantities to dispense per product, for the whole plan and per refill period (SPEC P7).

The rule, exact and stated once:
- a tablet, capsule or packet is dispensed whole: the quantity for a span of days is the
  sum of the units taken in it (¾ + ¾ + 1 …, exact Fractions), rounded UP to a whole unit;
- a liquid is given in mL, the exact sum (bottle sizes are the pharmacy's choice);
- each period is rounded on its own: the spare part of a tablet cut in one period is not
  counted on for the next (cut parts are not kept for weeks), so the periods may add up to
  a little more than the whole plan.
Periods run from the plan's first day in blocks of `period_days`; the last ends with the plan.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from taper.core.plan import Plan
from taper.core.products import Liquid, Product
from taper.exports.schedule import DoseRow, dose_rows


@dataclass(frozen=True, slots=True)
class PeriodQuantity:
    """One product's quantity for one refill period [start, end]."""

    start: date
    end: date
    units: Fraction


@dataclass(frozen=True, slots=True)
class ProductSupply:
    """One product across the plan: total, per period, and first and last day needed."""

    product: Product
    total: Fraction
    periods: tuple[PeriodQuantity, ...]
    first_needed: date
    last_needed: date


def dispensed(product: Product, taken: Fraction) -> Fraction:
    """Units to hand over for an exact amount taken: whole solids rounded up, liquid exact."""
    if isinstance(product, Liquid):
        return taken
    return Fraction(math.ceil(taken))


def supply(plan: Plan, period_days: int) -> tuple[ProductSupply, ...]:
    """Per product in the plan's product order, those the plan uses at all."""
    if period_days < 1:
        raise ValueError("period_days: must be 1 or more")
    rows = list(dose_rows(plan))
    found = []
    for product in plan.products:
        used = [(r.day, _units(r, product.id)) for r in rows if _units(r, product.id)]
        if not used:
            continue
        found.append(
            ProductSupply(
                product=product,
                total=dispensed(product, sum((u for _, u in used), Fraction(0))),
                periods=tuple(_periods(plan, period_days, product, used)),
                first_needed=used[0][0],
                last_needed=used[-1][0],
            )
        )
    return tuple(found)


def _units(row: DoseRow, product_id: str) -> Fraction:
    pieces = row.dose.composition.pieces
    return sum((p.units for p in pieces if p.product_id == product_id), Fraction(0))


def _periods(
    plan: Plan, period_days: int, product: Product, used: Iterable[tuple[date, Fraction]]
) -> list[PeriodQuantity]:
    start, last = plan.start_date, plan.steps[-1].end_date  # the last period ends with the plan
    taken: dict[int, Fraction] = {}
    for day, units in used:
        n = (day - start).days // period_days
        taken[n] = taken.get(n, Fraction(0)) + units
    return [
        PeriodQuantity(
            start + timedelta(days=n * period_days),
            min(start + timedelta(days=(n + 1) * period_days - 1), last),
            dispensed(product, taken[n]),
        )
        for n in sorted(taken)
    ]
