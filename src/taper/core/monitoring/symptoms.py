"""The symptom catalogue: what a check-in may report, in the patient's words (SPEC M1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from taper.core.knowledge import Fact

Domain = Literal["physical", "psychological", "cognitive", "sleep"]
DOMAINS: tuple[Domain, ...] = ("physical", "psychological", "cognitive", "sleep")

# Severity 0-3 (SPEC M1); the labels are data, these are only the bounds the code checks.
NONE, MILD, MODERATE, SEVERE = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Symptom:
    """One symptom; `red_flag_from` is the severity from which it alone means emergency."""

    id: str
    domain: Domain
    wording: str
    red_flag_from: int | None
    fact: Fact

    def __post_init__(self) -> None:
        if self.domain not in DOMAINS:
            raise ValueError(f"{self.id}.domain: must be one of {', '.join(DOMAINS)}")
        if self.red_flag_from is not None and not MILD <= self.red_flag_from <= SEVERE:
            raise ValueError(f"{self.id}.red_flag_from: must be 1, 2 or 3")

    def is_red_flag(self, severity: int) -> bool:
        return self.red_flag_from is not None and severity >= self.red_flag_from
