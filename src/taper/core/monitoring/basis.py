"""Why a decision was taken: the rule, the inputs it read and the source it rests on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from taper.core.amounts import decimal_str, is_terminating, rounded_str
from taper.core.knowledge import Fact
from taper.core.monitoring.rulebook import Action

InputValue = str | int | None


@dataclass(frozen=True, slots=True)
class Basis:
    """One rule's part in a decision, so a clinician can check it independently."""

    rule: str
    inputs: Mapping[str, InputValue]
    source: str  # a source id, or "policy"
    statement: str
    reason: str = ""  # for a policy: why the project set it

    @classmethod
    def of(cls, rule: str, fact: Fact, inputs: Mapping[str, InputValue]) -> Basis:
        return cls(rule, dict(inputs), fact.source, fact.statement, fact.reason)


@dataclass(frozen=True, slots=True)
class Firing:
    """A rule that fired: the action it asks for, its basis, and words for the patient."""

    action: Action
    basis: Basis
    reasons: tuple[str, ...] = ()  # what the patient is told it is about
    patient_notes: tuple[str, ...] = field(default_factory=tuple)  # extra sentences


def mg_text(value: Fraction) -> str:
    """An amount as exact decimal text, or rounded to 3 places when it has no exact form."""
    return decimal_str(value) if is_terminating(value) else rounded_str(value, 3)
