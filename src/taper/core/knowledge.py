"""What the engine knows about a drug, as plain values each carrying its source.

The facts live in data files (src/taper/knowledge/drugs/*.toml); taper.knowledge loads
them into these types. The core never reads a file: it is handed a DrugKnowledge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from taper.core.products import Product

POLICY = "policy"  # the source id of a value the project sets where no source gives one


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Fact:
    """One statement with the source it rests on and the date it was last checked."""

    topic: str
    statement: str
    source: str  # a Source id, or POLICY
    checked: date
    reason: str = ""  # required when source is POLICY: why the project chose this

    @property
    def is_policy(self) -> bool:
        return self.source == POLICY


@dataclass(frozen=True, slots=True)
class SourcedAmount:
    mg: Fraction
    fact: Fact


@dataclass(frozen=True, slots=True)
class Titration:
    """The label's upward schedule: a first dose per dose time, raised every few days."""

    initial_per_dose_mg: Fraction
    increment_per_dose_mg: Fraction
    step_days: int
    fact: Fact


@dataclass(frozen=True, slots=True)
class RenalBand:
    """Advice for creatinine clearance in [min_ml_min, max_ml_min) (None: open end)."""

    min_ml_min: Fraction | None
    max_ml_min: Fraction | None
    advice: str
    fact: Fact

    def contains(self, crcl: Fraction) -> bool:
        low_ok = self.min_ml_min is None or crcl >= self.min_ml_min
        high_ok = self.max_ml_min is None or crcl < self.max_ml_min
        return low_ok and high_ok


@dataclass(frozen=True, slots=True)
class DrugKnowledge:
    id: str
    name: str
    max_daily: SourcedAmount  # the label maximum; above it needs an override with a reason
    final_step_max_daily: SourcedAmount  # largest daily dose a plan may step to zero from
    titration: Titration | None
    renal: tuple[RenalBand, ...]
    catalogue: tuple[Product, ...]  # typical products, for references and suggestions
    sources: Mapping[str, Source]
    facts: tuple[Fact, ...]  # everything, for display: `taper drug baclofen`
    sections: Mapping[str, Any] = field(default_factory=dict)  # raw data of other sections

    def catalogue_product(self, product_id: str) -> Product | None:
        return next((p for p in self.catalogue if p.id == product_id), None)

    def renal_band(self, crcl: Fraction) -> RenalBand | None:
        return next((b for b in self.renal if b.contains(crcl)), None)
