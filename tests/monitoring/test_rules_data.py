"""The monitoring data holds every threshold, each with its source (or a policy and why)."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

import pytest

from taper.core.monitoring.rulebook import MonitoringRules
from taper.knowledge import KnowledgeError
from taper.knowledge.monitoring import monitored_drugs, parse_monitoring


def _raw() -> dict[str, Any]:
    path = resources.files("taper.knowledge") / "monitoring_rules" / "baclofen.toml"
    return tomllib.loads(path.read_text("utf-8"))


def test_baclofen_has_monitoring_rules() -> None:
    assert monitored_drugs() == ["baclofen"]


def test_every_rule_and_symptom_has_a_checked_source(rules: MonitoringRules) -> None:
    facts = [s.fact for s in rules.symptoms] + [r.fact for r in rules.threshold_rules]
    facts += [p.fact for p in rules.pacing.values()] + [w.fact for w in rules.timeline]
    for fact in facts:
        assert fact.source == "policy" or fact.source in rules.sources
        assert fact.checked.year >= 2026
        assert fact.reason or not fact.is_policy


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("rules", 0, "source"), "policy-ish", "unknown source"),
        (("rules", 0, "action"), "panic", "action: must be one of"),
        (("rules", 0, "when", 0, "measure"), "blood_sugar", "unknown measure"),
        (("pacing", "spasticity_rise", "points"), "two", "must be an exact number"),
        (("symptoms", 0, "domain"), "spiritual", "domain"),
    ],
)
def test_malformed_data_names_the_field(path: tuple[Any, ...], value: Any, message: str) -> None:
    data = _raw()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(KnowledgeError, match=message):
        parse_monitoring(data, "baclofen.toml")


def test_a_policy_without_a_reason_is_refused() -> None:
    data = _raw()
    del data["pacing"]["spasticity_rise"]["reason"]
    with pytest.raises(KnowledgeError, match="a policy must say why"):
        parse_monitoring(data, "baclofen.toml")
