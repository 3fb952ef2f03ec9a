"""Baseline assessment: risk factors → a sourced pace, with no invented score (SPEC M5)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from taper.core.monitoring.baseline import Baseline, BaselineAssessment, assess_baseline
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
