"""Every red flag yields emergency at once, alone or mixed with anything else (SPEC M2)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from taper.core.monitoring.rulebook import MonitoringRules
from taper.knowledge.monitoring import load_monitoring
from tests.monitoring.plans import decide

RULES = load_monitoring("baclofen")
TODAY = date(2026, 12, 9)  # step 2 (50 mg), three days after the cut of 2026-12-06
QUIET = {"date": "2026-12-08", "symptoms": {}, "spasticity": 3}
MIXED = {"symptoms": {"insomnia": 1, "anxiety": 2}, "spasticity": 4, "sleep_quality": 6,
         "heart_rate": 84, "doses_taken": ["08:00", "14:00", "20:00"], "note": "restless"}


def _reading(measure: str, at_least: Any) -> dict[str, Any]:
    if measure.startswith("symptom."):
        return {"symptoms": {measure.removeprefix("symptom."): int(at_least)}}
    if measure == "temperature_c":
        return {"temperature_c": str(at_least)}
    return {measure: int(at_least)}


def _merge(*parts: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"date": TODAY.isoformat(), "symptoms": {}}
    for part in parts:
        for key, value in part.items():
            if key == "symptoms":
                out["symptoms"] = {**out["symptoms"], **value}
            else:
                out[key] = value
    return out


def red_flag_cases(rules: MonitoringRules) -> list[Any]:
    """Each red flag at exactly its threshold."""
    cases = []
    for rule in rules.red_flag_rules():
        parts = [_reading(c.measure, c.at_least) for c in rule.when]
        cases.append(pytest.param(rule.id, _merge(*parts), id=rule.id))
    return cases


@pytest.mark.hazard("HZ-020")
@pytest.mark.parametrize(("rule_id", "checkin"), red_flag_cases(RULES))
def test_every_red_flag_alone_is_an_emergency(rule_id: str, checkin: dict[str, Any]) -> None:
    decision = decide([QUIET, checkin], TODAY)
    assert decision.action == "emergency"
    assert rule_id in [b.rule for b in decision.basis]


@pytest.mark.hazard("HZ-020")
@pytest.mark.parametrize(("rule_id", "checkin"), red_flag_cases(RULES))
def test_every_red_flag_mixed_with_anything_is_an_emergency(
    rule_id: str, checkin: dict[str, Any]
) -> None:
    mixed = _merge(MIXED, checkin)
    missed = {**mixed, "doses_taken": []}
    for item in (mixed, missed):
        decision = decide([QUIET, item], TODAY)
        assert decision.action == "emergency", rule_id


@pytest.mark.hazard("HZ-020")
def test_every_red_flag_symptom_in_the_catalogue_has_a_rule() -> None:
    flagged = {s.id for s in RULES.symptoms if s.red_flag_from is not None}
    rule_ids = {r.id.removeprefix("red_flag_symptom.") for r in RULES.red_flag_rules()}
    assert flagged <= rule_ids
    assert {"hallucinations", "seizure", "confusion"} <= flagged


@pytest.mark.hazard("HZ-020")
@pytest.mark.parametrize(
    ("reading", "expected"),
    [({"temperature_c": "38.9"}, "hold"), ({"temperature_c": "39.0"}, "emergency"),
     ({"temperature": {"value": "102.2", "unit": "F"}}, "emergency"),
     ({"heart_rate": 129}, "hold"), ({"heart_rate": 130}, "emergency"),
     ({"spasticity": 8}, "hold"), ({"spasticity": 9}, "emergency")],
    ids=["38.9C", "39.0C", "102.2F", "hr129", "hr130", "spasticity8", "spasticity9"],
)
def test_vital_sign_thresholds_come_from_the_data(reading: dict[str, Any], expected: str) -> None:
    assert decide([QUIET, _merge(reading)], TODAY).action == expected


@pytest.mark.hazard("HZ-029")
def test_emergency_message_says_what_to_do_and_what_to_tell() -> None:
    decision = decide([QUIET, _merge({"symptoms": {"hallucinations": 1}})], TODAY)
    text = decision.message
    assert "emergency" in text and "now" in text
    assert "Do not stop or change your baclofen on your own" in text
    assert "50 mg a day" in text and "Sun 6 Dec" in text and "baclofen" in text
    assert decision.clinician_flag and "EMERGENCY" in decision.clinician_note


def test_emergency_wording_is_the_datas_not_the_codes(rules: MonitoringRules) -> None:
    assert "{drug}" in rules.messages["emergency"]
    assert "baclofen" not in rules.messages["emergency"]


@pytest.mark.hazard("HZ-020")
def test_the_rules_derived_once_follow_the_rulebook_they_came_from() -> None:
    """The red flags are built once per rulebook (speed, issue 17): a rulebook made from
    another one (`replace`) derives its own, so a symptom taken out takes its red flag with it
    and one whose threshold moved fires at the new one."""
    from dataclasses import replace

    assert RULES.all_threshold_rules()[:len(RULES.red_flag_rules())] == RULES.red_flag_rules()
    assert {r.action for r in RULES.all_threshold_rules()[len(RULES.red_flag_rules()):]} == {"hold"}
    fewer = replace(RULES, symptoms=tuple(s for s in RULES.symptoms if s.id != "seizure"))
    assert "red_flag_symptom.seizure" in [r.id for r in RULES.red_flag_rules()]
    assert "red_flag_symptom.seizure" not in [r.id for r in fewer.red_flag_rules()]
    assert "red_flag_symptom.seizure" not in [r.id for r in fewer.all_threshold_rules()]
    moved = replace(RULES, symptoms=tuple(
        replace(s, red_flag_from=3) if s.id == "confusion" else s for s in RULES.symptoms))
    (rule,) = [r for r in moved.red_flag_rules() if r.id == "red_flag_symptom.confusion"]
    assert rule.when[0].at_least == 3
    assert RULES != moved and replace(RULES) == RULES  # equality reads the fields only


@pytest.mark.hazard("HZ-020")
def test_a_fresh_rulebook_derives_every_red_flag_as_the_catalogue_says() -> None:
    """Built anew (not the one loaded at import): each symptom's red flag is an emergency at
    its catalogue threshold, in the catalogue's words (lower-cased first letter, to follow
    "…"), on its source; then the data's emergency rules; then the rules that hold."""
    from dataclasses import replace
    from fractions import Fraction

    fresh = replace(RULES)
    expected = [(f"red_flag_symptom.{s.id}", "emergency", ((f"symptom.{s.id}",
                 Fraction(s.red_flag_from)),), s.wording[0].lower() + s.wording[1:], s.fact)
                for s in RULES.symptoms if s.red_flag_from is not None]
    expected += [(r.id, r.action, tuple((c.measure, c.at_least) for c in r.when),
                  r.patient_wording, r.fact) for r in RULES.threshold_rules
                 if r.action == "emergency"]
    flags = [(r.id, r.action, tuple((c.measure, c.at_least) for c in r.when),
              r.patient_wording, r.fact) for r in fresh.red_flag_rules()]
    assert flags == expected
    holds = [r for r in RULES.threshold_rules if r.action != "emergency"]
    assert holds and fresh.all_threshold_rules() == fresh.red_flag_rules() + tuple(holds)
