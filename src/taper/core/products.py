"""What a person can actually take: solid units (tablets, capsules, packets) and liquids."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

SolidForm = Literal["tablet", "capsule", "packet"]

# How far a tablet may be divided: whole only, halves, quarters (SPEC P2). Scoring is a
# property of the product a person holds, not of the strength (SPEC, formulations).
DIVISIONS = (1, 2, 4)


@dataclass(frozen=True, slots=True)
class Solid:
    """A tablet, capsule or granule packet of one strength; capsules and packets stay whole."""

    id: str
    strength_mg: Fraction
    divisible_into: int = 1
    form: SolidForm = "tablet"
    label: str = ""

    def __post_init__(self) -> None:
        if self.strength_mg <= 0:
            raise ValueError("strength_mg must be positive")
        if self.divisible_into not in DIVISIONS:
            raise ValueError("divisible_into must be 1, 2 or 4")
        if self.form != "tablet" and self.divisible_into != 1:
            raise ValueError(f"a {self.form} cannot be divided")

    @property
    def smallest_part_mg(self) -> Fraction:
        return self.strength_mg / self.divisible_into


@dataclass(frozen=True, slots=True)
class Liquid:
    """An oral solution or suspension measured with a device of a given step."""

    id: str
    mg_per_ml: Fraction
    measure_step_ml: Fraction
    min_volume_ml: Fraction
    max_volume_ml: Fraction | None = None
    label: str = ""
    bottle_ml: Fraction | None = None  # supply counts whole bottles when given
    use_within_days_after_opening: int | None = None  # then the rest of a bottle is discarded

    def __post_init__(self) -> None:
        if self.bottle_ml is not None and self.bottle_ml <= 0:
            raise ValueError("bottle_ml must be positive")
        if self.use_within_days_after_opening is not None and (
                self.bottle_ml is None or self.use_within_days_after_opening < 1):
            raise ValueError("use_within_days_after_opening needs bottle_ml and at least 1 day")
        if self.mg_per_ml <= 0:
            raise ValueError("mg_per_ml must be positive")
        if self.measure_step_ml <= 0:
            raise ValueError("measure_step_ml must be positive")
        if self.min_volume_ml <= 0:
            raise ValueError("min_volume_ml must be positive")
        if self.max_volume_ml is not None and self.max_volume_ml < self.min_volume_ml:
            raise ValueError("max_volume_ml must not be below min_volume_ml")

    def measurable(self, ml: Fraction) -> bool:
        """True when the device can measure this volume: on its step, within its range."""
        if ml < self.min_volume_ml or (ml / self.measure_step_ml).denominator != 1:
            return False
        return self.max_volume_ml is None or ml <= self.max_volume_ml


Product = Solid | Liquid


def describe(product: Product) -> str:
    """Plain words for a product: "20 mg tablet (quarters)", "1 mg/mL liquid"."""
    from taper.core.amounts import decimal_str

    if isinstance(product, Liquid):
        return f"{decimal_str(product.mg_per_ml)} mg/mL liquid"
    split = {1: "", 2: " (halves)", 4: " (quarters)"}[product.divisible_into]
    return f"{decimal_str(product.strength_mg)} mg {product.form}{split}"
