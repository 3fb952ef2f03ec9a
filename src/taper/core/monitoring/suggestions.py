"""Suggestions for the prescriber: the last tolerated dose and a slower pace.

These are addressed to the clinician only; the patient is never told to raise a dose.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Literal

from taper.core.monitoring.basis import Basis, InputValue, mg_text
from taper.core.monitoring.checkin import CheckIn
from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.plan import Plan, TaperStep
from taper.core.strategies import FixedMgStrategy

SuggestionKind = Literal["return_to_dose", "slower_pace"]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A change only a prescriber may make, with the rule it rests on."""

    kind: SuggestionKind
    text: str
    basis: Basis
    daily_mg: Fraction | None = None
    strategy: FixedMgStrategy | None = None
    audience: Literal["prescriber"] = "prescriber"


def last_tolerated(
    plan: Plan, log: Sequence[CheckIn], today: date, stable: Callable[[CheckIn], bool]
) -> TaperStep | None:
    """The last step begun by today whose check-ins (at least one) were all stable."""
    tolerated = None
    for step in plan.steps:
        if step.start_date > today:
            break
        during = [c for c in log if step.start_date <= c.date <= step.end_date]
        if during and all(stable(c) for c in during):
            tolerated = step
    return tolerated


def _last_cut(plan: Plan, today: date) -> TaperStep | None:
    cuts = [s for s in plan.steps if s.start_date <= today and s.daily_mg < s.previous_daily_mg]
    return cuts[-1] if cuts else None


def suggest(
    plan: Plan, log: Sequence[CheckIn], today: date, current_mg: Fraction,
    rules: MonitoringRules, stable: Callable[[CheckIn], bool],
) -> tuple[Suggestion, ...]:
    """Return to the last tolerated dose and continue slower, when that means anything."""
    if plan.direction != "taper":
        return ()
    out: list[Suggestion] = []
    step = last_tolerated(plan, log, today, stable)
    back_rule = rules.pacing["return_to_dose"]
    if step is not None:
        mg, where = step.daily_mg, f"step {step.index} ({step.start_date} to {step.end_date})"
    else:
        mg, where = sum((d.mg for d in plan.baseline), Fraction(0)), "the dose before the taper"
    if mg > current_mg:
        inputs: dict[str, InputValue] = {"last_tolerated": where, "daily_mg": mg_text(mg),
                  "current_daily_mg": mg_text(current_mg)}
        out.append(Suggestion(
            "return_to_dose",
            f"Consider returning to {mg_text(mg)} mg a day, the last tolerated dose ({where}).",
            Basis.of("return_to_dose", back_rule.fact, inputs), daily_mg=mg))
    cut = _last_cut(plan, today)
    if cut is not None:
        slower = rules.pacing["slower_pace"]
        size = cut.previous_daily_mg - cut.daily_mg
        half = FixedMgStrategy(step_mg=size * slower.param("cut_fraction"), step_days=cut.days)
        longer_days = int(cut.days * slower.param("step_days_factor"))
        longer = FixedMgStrategy(step_mg=size, step_days=longer_days)
        inputs_cut: dict[str, InputValue] = {
            "last_cut_mg": mg_text(size), "step_days": cut.days, "step": cut.index}
        basis = Basis.of("slower_pace", slower.fact, inputs_cut)
        for strategy in (half, longer):
            out.append(Suggestion(
                "slower_pace",
                f"Consider continuing more slowly: {mg_text(strategy.step_mg)} mg less"
                f" every {strategy.step_days} days (the last cut was {mg_text(size)} mg"
                f" over {cut.days} days).",
                basis, strategy=strategy))
    return tuple(out)
