"""Threshold rules on one check-in: red flags (emergency) and the vital signs that hold."""

from __future__ import annotations

from fractions import Fraction

from taper.core.amounts import decimal_str, rounded_str
from taper.core.monitoring.basis import Basis, Firing, InputValue
from taper.core.monitoring.checkin import CheckIn
from taper.core.monitoring.rulebook import Condition, MonitoringRules, ThresholdRule


def _shown(measure: str, value: Fraction) -> InputValue:
    """A reading as the basis shows it: °C to one decimal place (°F readings convert to
    repeating decimals); severities, heart rate and spasticity are whole numbers (checkin.py)."""
    if measure == "temperature_c":
        return rounded_str(value)
    return int(value)


def _holds(condition: Condition, checkin: CheckIn) -> bool:
    value = checkin.measure(condition.measure)
    return value is not None and value >= condition.at_least


def fires(rule: ThresholdRule, checkin: CheckIn) -> bool:
    return all(_holds(c, checkin) for c in rule.when)


def firing(rule: ThresholdRule, checkin: CheckIn) -> Firing:
    inputs: dict[str, InputValue] = {"checkin": checkin.date.isoformat()}
    for c in rule.when:
        value = checkin.measure(c.measure)
        assert value is not None  # the rule fired, so fires() found every reading it needs
        inputs[c.measure] = _shown(c.measure, value)
        inputs[f"{c.measure}.at_least"] = decimal_str(c.at_least)
    reason = rule.patient_wording
    if "temperature_c" in inputs:
        reason = f"{reason} ({inputs['temperature_c']} °C)"
    return Firing(rule.action, Basis.of(rule.id, rule.fact, inputs), (reason,))


def threshold_firings(checkin: CheckIn, rules: MonitoringRules) -> list[Firing]:
    """Every red flag and vital-sign rule that this check-in meets (red flags first)."""
    return [firing(r, checkin) for r in rules.all_threshold_rules() if fires(r, checkin)]

