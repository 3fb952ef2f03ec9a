"""How the daily dose should move from step to step (SPEC P3)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class SlowerAtLowDoses:
    """Hold steps longer once the daily dose is below a threshold (SPEC P3, seeds)."""

    below_mg: Fraction
    step_days: int


@dataclass(frozen=True, slots=True)
class PercentStrategy:
    """Cut a fixed percentage of the current daily dose each step (proportional taper)."""

    percent: Fraction
    step_days: int
    final_mg: Fraction
    slower: SlowerAtLowDoses | None = None
    kind: str = "percent"


@dataclass(frozen=True, slots=True)
class FixedMgStrategy:
    """Cut a fixed amount each step; the last cut may be smaller."""

    step_mg: Fraction
    step_days: int
    slower: SlowerAtLowDoses | None = None
    kind: str = "fixed_mg"


@dataclass(frozen=True, slots=True)
class StepsStrategy:
    """An explicit list of daily doses, one per step; a final 0 means stop."""

    daily_mg: tuple[Fraction, ...]
    step_days: int
    kind: str = "steps"


@dataclass(frozen=True, slots=True)
class TitrateStrategy:
    """Upwards to a target; None means the drug's label schedule."""

    target_daily_mg: Fraction
    step_days: int | None = None
    increment_per_dose_mg: Fraction | None = None
    kind: str = "titrate"


Strategy = PercentStrategy | FixedMgStrategy | StepsStrategy | TitrateStrategy
