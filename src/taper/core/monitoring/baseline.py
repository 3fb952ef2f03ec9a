"""Baseline assessment: the person's risk factors → a suggested pace, each reason sourced.

No score is invented (SPEC M5): each factor says which way it points and why; any factor
that points to a slower pace chooses the slower of the two sourced paces.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from taper.core.amounts import decimal_str
from taper.core.knowledge import DrugKnowledge, Fact
from taper.core.strategies import PercentStrategy

Effect = Literal["slower", "caution"]


@dataclass(frozen=True, slots=True)
class Baseline:
    """What is known about the person before the taper starts."""

    daily_mg: Fraction
    months_of_use: Fraction | None = None
    previous_withdrawal: bool = False
    cns_depressants: tuple[str, ...] = ()  # e.g. "alcohol", "benzodiazepines"
    psychiatric_history: bool = False
    seizure_history: bool = False
    creatinine_clearance_ml_min: Fraction | None = None
    age: int | None = None


@dataclass(frozen=True, slots=True)
class Pace:
    percent: Fraction
    step_days: int
    fact: Fact


@dataclass(frozen=True, slots=True)
class FactorRule:
    id: str
    effect: Effect
    finding: str  # template, e.g. "taken for {months} months"
    fact: Fact
    at_least: Fraction | None = None  # months_at_least / age_at_least where the data gives one


@dataclass(frozen=True, slots=True)
class BaselineRules:
    standard: Pace
    slower: Pace
    choice: Fact
    factors: Mapping[str, FactorRule]


@dataclass(frozen=True, slots=True)
class Reason:
    """One factor found, the way it points, and the source it rests on."""

    factor: str
    finding: str
    effect: Effect
    statement: str
    source: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class BaselineAssessment:
    pace: Literal["standard", "slower"]
    strategy: PercentStrategy
    reasons: tuple[Reason, ...]
    choice: Fact


def _reason(rule: FactorRule, **values: str) -> Reason:
    return Reason(rule.id, rule.finding.format(**values), rule.effect, rule.fact.statement,
                  rule.fact.source, rule.fact.reason)


def _found(person: Baseline, rules: BaselineRules, drug: DrugKnowledge) -> list[Reason]:
    f = rules.factors
    found = [_reason(f["dose"], daily_mg=decimal_str(person.daily_mg))]
    months = person.months_of_use
    long_use = f["long_use"]
    if months is not None and long_use.at_least is not None and months >= long_use.at_least:
        found.append(_reason(long_use, months=decimal_str(months)))
    if person.previous_withdrawal:
        found.append(_reason(f["previous_withdrawal"]))
    if person.cns_depressants:
        found.append(_reason(f["cns_depressants"], substances=", ".join(person.cns_depressants)))
    if person.psychiatric_history:
        found.append(_reason(f["psychiatric_history"]))
    if person.seizure_history:
        found.append(_reason(f["seizure_history"]))
    crcl = person.creatinine_clearance_ml_min
    band = None if crcl is None else drug.renal_band(crcl)
    if crcl is not None and band is not None:
        kidney = _reason(f["kidney_function"], crcl=decimal_str(crcl))
        found.append(Reason(kidney.factor, f"{kidney.finding}: {band.advice}", kidney.effect,
                            f"{kidney.statement} {band.fact.statement}", band.fact.source))
    older = f["older_age"]
    if person.age is not None and older.at_least is not None and person.age >= older.at_least:
        found.append(_reason(older, age=str(person.age)))
    return found


def assess_baseline(
    person: Baseline, rules: BaselineRules, drug: DrugKnowledge
) -> BaselineAssessment:
    """The suggested pace (a strategy the planner accepts) and every reason behind it."""
    reasons = tuple(_found(person, rules, drug))
    slower = any(r.effect == "slower" for r in reasons)
    pace = rules.slower if slower else rules.standard
    strategy = PercentStrategy(percent=pace.percent, step_days=pace.step_days,
                               final_mg=drug.final_step_max_daily.mg)
    chosen = Reason("pace", f"{decimal_str(pace.percent)} % every {pace.step_days} days",
                    "slower" if slower else "caution", pace.fact.statement, pace.fact.source)
    return BaselineAssessment("slower" if slower else "standard", strategy,
                              (*reasons, chosen), rules.choice)
