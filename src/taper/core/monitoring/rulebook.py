"""The rules a taper is watched by, as plain values: every threshold came from data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from taper.core.knowledge import Fact, Source
from taper.core.monitoring.baseline import BaselineRules
from taper.core.monitoring.symptoms import Symptom

Action = Literal["proceed", "hold", "contact_prescriber", "emergency"]
# The order of caution: a decision may only move right when evidence gets worse.
ACTIONS: tuple[Action, ...] = ("proceed", "hold", "contact_prescriber", "emergency")
VITALS = ("temperature_c", "heart_rate", "spasticity")


def rank(action: Action) -> int:
    """Position in the order of caution: proceed 0 < hold < contact_prescriber < emergency 3."""
    return ACTIONS.index(action)


@dataclass(frozen=True, slots=True)
class Condition:
    """`measure` at or above `at_least`; measure is `symptom.<id>` or a vital in VITALS."""

    measure: str
    at_least: Fraction


@dataclass(frozen=True, slots=True)
class ThresholdRule:
    """Fires when every condition holds on one check-in (red flags are these with emergency)."""

    id: str
    action: Action
    when: tuple[Condition, ...]
    patient_wording: str
    fact: Fact


@dataclass(frozen=True, slots=True)
class PacingRule:
    """A rule read against the history (moderate, persisting, missed doses …)."""

    id: str
    action: Action
    fact: Fact
    params: Mapping[str, Fraction]
    patient_wording: str = ""
    patient_note: str = ""

    def param(self, name: str) -> Fraction:
        return self.params[name]


@dataclass(frozen=True, slots=True)
class Range:
    """The plausible readings of a scale; outside it a value is refused, not acted on."""

    low: Fraction
    high: Fraction
    fact: Fact

    def __contains__(self, value: Fraction) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True, slots=True)
class TimelineWindow:
    """Days since the last reduction [from_day, to_day] (to_day None: open end)."""

    name: str
    from_day: int
    to_day: int | None
    fact: Fact

    def contains(self, day: int) -> bool:
        return day >= self.from_day and (self.to_day is None or day <= self.to_day)


@dataclass(frozen=True, slots=True)
class MonitoringRules:
    """Everything the monitoring engine knows about watching one drug's taper."""

    drug_id: str
    drug_name: str
    sources: Mapping[str, Source]
    severity_labels: tuple[str, ...]
    symptoms: tuple[Symptom, ...]
    ranges: Mapping[str, Range]  # spasticity, sleep_quality, temperature_c, heart_rate
    threshold_rules: tuple[ThresholdRule, ...]
    pacing: Mapping[str, PacingRule]
    timeline: tuple[TimelineWindow, ...]
    timeline_fact: Fact
    messages: Mapping[str, str]
    baseline: BaselineRules | None = None
    severity_fact: Fact | None = None  # the 0-3 scale's own source (the catalogue shows it)
    # Derived once from the fields above (every check-in reads them; building the symptoms'
    # rules on each call was a third of an assessment): not a field of its own to set.
    _red_flags: tuple[ThresholdRule, ...] = field(init=False, repr=False, compare=False)
    _thresholds: tuple[ThresholdRule, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        from_symptoms = tuple(
            ThresholdRule(
                id=f"red_flag_symptom.{s.id}",
                action="emergency",
                when=(Condition(f"symptom.{s.id}", Fraction(s.red_flag_from)),),
                patient_wording=s.wording[0].lower() + s.wording[1:],
                fact=s.fact,
            )
            for s in self.symptoms
            if s.red_flag_from is not None
        )
        red_flags = from_symptoms + tuple(r for r in self.threshold_rules
                                          if r.action == "emergency")
        others = tuple(r for r in self.threshold_rules if r.action != "emergency")
        object.__setattr__(self, "_red_flags", red_flags)  # frozen: set once, here
        object.__setattr__(self, "_thresholds", red_flags + others)

    def symptom(self, symptom_id: str) -> Symptom | None:
        return next((s for s in self.symptoms if s.id == symptom_id), None)

    def severity_label(self, severity: int) -> str:
        return self.severity_labels[severity]

    def red_flag_rules(self) -> tuple[ThresholdRule, ...]:
        """The symptom red flags (from the catalogue) and every emergency threshold rule."""
        return self._red_flags

    def all_threshold_rules(self) -> tuple[ThresholdRule, ...]:
        """The red flags first, then the other threshold rules (vital signs that hold)."""
        return self._thresholds

    def window_for(self, day: int) -> TimelineWindow | None:
        return next((w for w in self.timeline if w.contains(day)), None)
