"""Everything the planner is given: no file, no clock, no lookup behind its back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from fractions import Fraction

from taper.core.composer import CostName
from taper.core.knowledge import DrugKnowledge
from taper.core.products import Product
from taper.core.regimen import Regimen
from taper.core.strategies import Strategy


@dataclass(frozen=True, slots=True)
class MaxDoseOverride:
    """A prescriber's written reason to go above the label maximum (SPEC P6)."""

    mg: Fraction
    reason: str


@dataclass(frozen=True, slots=True)
class PlanRequest:
    drug: DrugKnowledge
    regimen: Regimen
    products: tuple[Product, ...]
    strategy: Strategy
    reduce_order: tuple[time, ...] | None = None  # None: the default order (midday first)
    max_daily_override: MaxDoseOverride | None = None
    creatinine_clearance_ml_min: Fraction | None = None
    today: date | None = None  # the caller's clock, for the "start date in the past" check
    composition: CostName = "tablets_first"  # the composer's cost (docs/adr/0004)
