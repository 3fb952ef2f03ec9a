"""Baseline assessment: risk factors → a sourced pace, with no invented score (SPEC M5)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from taper.core.monitoring.baseline import (
    Baseline,
    BaselineAssessment,
    BaselineRules,
    Effect,
    FactorRule,
    Pace,
    Reason,
    assess_baseline,
)
from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.strategies import PercentStrategy
from taper.knowledge import load_drug


def _assess(rules: MonitoringRules, person: Baseline) -> BaselineAssessment:
    assert rules.baseline is not None
    return assess_baseline(person, rules.baseline, load_drug("baclofen"))


@pytest.mark.parametrize(
    ("person", "pace", "factors"),
    [
        (Baseline(Fraction(30), Fraction(1)), "standard", {"dose"}),
        (Baseline(Fraction(60), Fraction(36)), "slower", {"dose", "long_use"}),
        (Baseline(Fraction(30), Fraction(1), previous_withdrawal=True), "slower",
         {"dose", "previous_withdrawal"}),
        (Baseline(Fraction(30), cns_depressants=("alcohol",)), "slower",
         {"dose", "cns_depressants"}),
        (Baseline(Fraction(30), psychiatric_history=True), "slower",
         {"dose", "psychiatric_history"}),
        (Baseline(Fraction(30), seizure_history=True), "slower", {"dose", "seizure_history"}),
        (Baseline(Fraction(30), creatinine_clearance_ml_min=Fraction(45)), "standard",
         {"dose", "kidney_function"}),
        (Baseline(Fraction(30), age=70), "standard", {"dose", "older_age"}),
    ],
    ids=["short-use", "long-use", "previous-withdrawal", "alcohol", "psychiatric", "seizures",
         "kidneys", "older"],
)
def test_factors_point_to_a_pace_with_their_sources(
    rules: MonitoringRules, person: Baseline, pace: str, factors: set[str]
) -> None:
    result = _assess(rules, person)
    assert result.pace == pace
    reasons = result.reasons
    assert {r.factor for r in reasons} - {"pace"} == factors
    assert all(r.source and r.statement for r in reasons)
    assert all(r.reason for r in reasons if r.source == "policy")


def test_the_suggested_pace_is_a_strategy_the_planner_accepts(rules: MonitoringRules) -> None:
    result = _assess(rules, Baseline(Fraction(60), Fraction(36)))
    strategy = result.strategy
    assert isinstance(strategy, PercentStrategy)
    assert (strategy.percent, strategy.step_days, strategy.final_mg) == (10, 28, 5)


def test_kidney_advice_comes_from_the_drugs_renal_bands(rules: MonitoringRules) -> None:
    result = _assess(rules, Baseline(Fraction(30), creatinine_clearance_ml_min=Fraction(20)))
    kidney = next(r for r in result.reasons if r.factor == "kidney_function")
    assert "two thirds" in kidney.finding and kidney.source == "vlavonou-2014"


# ------------------------------------------------------------- each factor at its threshold
DRUG = load_drug("baclofen")


def _rules(rules: MonitoringRules) -> BaselineRules:
    assert rules.baseline is not None
    return rules.baseline


def _of(rule: FactorRule, finding: str) -> Reason:
    return Reason(rule.id, finding, rule.effect, rule.fact.statement, rule.fact.source,
                  rule.fact.reason)


def _pace(pace: Pace, effect: Effect) -> Reason:
    return Reason("pace", f"{pace.percent} % every {pace.step_days} days", effect,
                  pace.fact.statement, pace.fact.source)


@pytest.mark.hazard("HZ-231")
def test_every_factor_at_its_threshold_is_found_with_its_words_and_source(
        rules: MonitoringRules) -> None:
    b = _rules(rules)
    f = b.factors
    assert (f["long_use"].at_least, f["older_age"].at_least) == (2, 65)
    person = Baseline(Fraction(30), Fraction(2), previous_withdrawal=True,
                      cns_depressants=("alcohol", "benzodiazepines"), psychiatric_history=True,
                      seizure_history=True, creatinine_clearance_ml_min=Fraction(45), age=65)
    result = assess_baseline(person, b, DRUG)
    band = DRUG.renal_band(Fraction(45))
    assert band is not None
    kidney = f["kidney_function"]
    assert result.reasons == (
        _of(f["dose"], "30 mg a day"),
        _of(f["long_use"], "taken for 2 months"),
        _of(f["previous_withdrawal"], "a previous withdrawal episode"),
        _of(f["cns_depressants"], "also takes alcohol, benzodiazepines"),
        _of(f["psychiatric_history"], "a psychiatric history"),
        _of(f["seizure_history"], "a history of seizures"),
        Reason("kidney_function", f"creatinine clearance 45 mL/min: {band.advice}", "caution",
               f"{kidney.fact.statement} {band.fact.statement}", band.fact.source),
        _of(f["older_age"], "age 65"),
        _pace(b.slower, "slower"),
    )
    assert (result.pace, result.choice) == ("slower", b.choice)
    assert (result.strategy.percent, result.strategy.step_days) == (b.slower.percent,
                                                                    b.slower.step_days)


@pytest.mark.hazard("HZ-231")
def test_just_below_each_threshold_nothing_is_found_and_the_pace_is_standard(
        rules: MonitoringRules) -> None:
    b = _rules(rules)
    person = Baseline(Fraction(5, 2), Fraction(199, 100), creatinine_clearance_ml_min=Fraction(80),
                      age=64)
    result = assess_baseline(person, b, DRUG)
    assert DRUG.renal_band(Fraction(80)) is None  # normal kidneys: no band, no reason
    assert result.reasons == (_of(b.factors["dose"], "2.5 mg a day"), _pace(b.standard, "caution"))
    assert result.pace == "standard"
    assert (result.strategy.percent, result.strategy.step_days) == (b.standard.percent,
                                                                    b.standard.step_days)


@pytest.mark.hazard("HZ-231")
def test_a_caution_factor_alone_keeps_the_standard_pace(rules: MonitoringRules) -> None:
    b = _rules(rules)
    result = assess_baseline(Baseline(Fraction(30), age=90), b, DRUG)
    assert result.reasons[-1] == _pace(b.standard, "caution")
    assert result.pace == "standard"
