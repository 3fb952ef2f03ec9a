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

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from taper.core.plan import Plan
from taper.core.products import Product
from taper.core.supply import supply_for


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


def supply(plan: Plan, period_days: int) -> tuple[ProductSupply, ...]:
    """Per product in the plan's product order, those the plan uses at all."""
    if period_days < 1:
        raise ValueError("period_days: must be 1 or more")
    if not plan.steps:
        return ()
    # The core's supply_for does the counting and rounding, for the whole plan and for each
    # period's window of days alike.
    whole = {line.product_id: line for line in supply_for(plan.steps, plan.products)}
    periods: dict[str, list[PeriodQuantity]] = {}
    last = plan.steps[-1].end_date  # the last period ends with the plan
    start = plan.start_date
    while start <= last:
        end = min(start + timedelta(days=period_days - 1), last)
        for line in supply_for(plan.steps, plan.products, start, end):
            periods.setdefault(line.product_id, []).append(PeriodQuantity(start, end, line.units))
        start = end + timedelta(days=1)
    return tuple(
        ProductSupply(p, whole[p.id].units, tuple(periods[p.id]), whole[p.id].first_needed,
                      whole[p.id].last_needed)
        for p in plan.products
        if p.id in whole
    )
