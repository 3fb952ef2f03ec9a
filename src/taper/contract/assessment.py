"""The JSON shape of a pacing decision and of the symptom catalogue (issue 3's contract).

Doses are exact decimal strings; dates ISO 8601; every basis entry names its rule, the
inputs it read and its source.
"""

from __future__ import annotations

from typing import Any

from taper.core.monitoring.basis import Basis, mg_text
from taper.core.monitoring.pacing import PacingDecision
from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.monitoring.suggestions import Suggestion
from taper.core.strategies import FixedMgStrategy


def strategy_json(strategy: FixedMgStrategy) -> dict[str, Any]:
    """A strategy in the planning request's form (issue 2 §4)."""
    return {"kind": strategy.kind, "step_mg": mg_text(strategy.step_mg),
            "step_days": strategy.step_days}


def basis_json(basis: Basis) -> dict[str, Any]:
    out: dict[str, Any] = {"rule": basis.rule, "inputs": dict(basis.inputs),
                           "source": basis.source, "statement": basis.statement}
    if basis.reason:
        out["reason"] = basis.reason
    return out


def suggestion_json(s: Suggestion) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": s.kind, "for": s.audience, "text": s.text,
                           "rule": s.basis.rule}
    if s.daily_mg is not None:
        out["daily_mg"] = mg_text(s.daily_mg)
    if s.strategy is not None:
        out["strategy"] = strategy_json(s.strategy)
    return out


def decision_json(decision: PacingDecision, rules: MonitoringRules) -> dict[str, Any]:
    """The decision as the CLI and other programs receive it."""
    step = decision.step
    change = decision.plan_change
    used = {b.source for b in decision.basis} | {s.basis.source for s in decision.suggestions}
    return {
        "drug": rules.drug_id,
        "action": decision.action,
        "message": decision.message,
        "basis": [basis_json(b) for b in decision.basis],
        "suggestions": [suggestion_json(s) for s in decision.suggestions],
        "days_since_reduction": decision.days_since_reduction,
        "window": decision.timeline.window,
        "last_reduction": _iso(decision.timeline.last_reduction),
        "daily_mg": mg_text(decision.daily_mg),
        "step": None if step is None else {
            "index": step.index, "start_date": step.start_date.isoformat(),
            "end_date": step.end_date.isoformat(), "daily_mg": mg_text(step.daily_mg)},
        "checkin_date": _iso(decision.checkin_date),
        "clinician": {"flag": decision.clinician_flag, "note": decision.clinician_note},
        "plan_change": None if change is None or change.days == 0 else {
            "kind": "hold", "step": change.step, "extend_days": change.days,
            "next_change_was": _iso(change.next_change_was),
            "next_change_now": _iso(change.next_change_now)},
        "sources": {k: rules.sources[k].title for k in sorted(used) if k in rules.sources},
    }


def symptoms_json(rules: MonitoringRules) -> dict[str, Any]:
    """The catalogue with each symptom's red-flag rule, and the other red flags."""
    labels = rules.severity_labels
    return {
        "drug": rules.drug_id,
        "severity": {str(i): label for i, label in enumerate(labels)},
        "symptoms": [
            {"id": s.id, "domain": s.domain, "wording": s.wording,
             "red_flag_from": None if s.red_flag_from is None else labels[s.red_flag_from],
             "source": s.fact.source}
            for s in rules.symptoms
        ],
        "rules": [
            {"id": r.id, "action": r.action, "when": [
                {"measure": c.measure, "at_least": mg_text(c.at_least)} for c in r.when],
             "statement": r.fact.statement, "source": r.fact.source}
            for r in rules.threshold_rules
        ],
    }


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())
