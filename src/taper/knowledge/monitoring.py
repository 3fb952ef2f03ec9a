"""Load the monitoring rules of a drug (symptoms, red flags, pacing, timeline) from data.

The files are src/taper/knowledge/monitoring_rules/<drug>.toml; each rule carries
`statement`, `source` (an id from its [sources] or "policy"), `checked` and, for a
policy, `reason`. See docs/monitoring.md.
"""

from __future__ import annotations

import tomllib
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

from taper.core.amounts import exact
from taper.core.knowledge import Fact, Source
from taper.core.monitoring.baseline import BaselineRules, FactorRule, Pace
from taper.core.monitoring.rulebook import (
    ACTIONS,
    VITALS,
    Action,
    Condition,
    MonitoringRules,
    PacingRule,
    Range,
    ThresholdRule,
    TimelineWindow,
)
from taper.core.monitoring.symptoms import Symptom
from taper.knowledge import KnowledgeError, parse_fact
from taper.knowledge.languages import LANGUAGES, localized

FOLDER = "monitoring_rules"
PACING_PARAMS = {
    "moderate_symptom": ("from_severity",), "severe_symptom": ("from_severity",),
    "persisting_symptom": ("from_severity", "days"), "spasticity_rise": ("points",),
    "missed_doses": ("at_least",), "no_recent_checkin": ("max_age_days",),
    "hold_after_stop": (), "hold": ("days",), "slower_pace": ("cut_fraction", "step_days_factor"),
    "return_to_dose": (),
}
MESSAGES = (
    "emergency", "contact_prescriber", "hold", "proceed", "not_started", "finished",
    "no_reduction_yet", "next_step", "last_day", "weekdays", "months", "stable", "since_start",
)


def monitored_drugs() -> list[str]:
    """The drugs with monitoring rules, sorted."""
    folder = resources.files("taper.knowledge") / FOLDER
    names = (p.name for p in folder.iterdir())
    return sorted(n.removesuffix(".toml") for n in names if n.endswith(".toml"))


@cache
def load_monitoring(drug_id: str, lang: str = "en") -> MonitoringRules:
    """The drug's monitoring rules, their patient words in `lang` (knowledge/languages.py);
    KeyError when it has none or the language is not one of LANGUAGES."""
    if drug_id not in monitored_drugs() or lang not in LANGUAGES:
        raise KeyError(drug_id if lang in LANGUAGES else lang)
    text = (resources.files("taper.knowledge") / FOLDER / f"{drug_id}.toml").read_text("utf-8")
    return parse_monitoring(localized(tomllib.loads(text), lang), f"{FOLDER}/{drug_id}.toml")


def _action(value: Any, where: str) -> Action:
    for action in ACTIONS:
        if value == action:
            return action
    raise KnowledgeError(f"{where}.action: must be one of {', '.join(ACTIONS)}")


def _number(value: Any, where: str) -> Fraction:
    try:
        if isinstance(value, str) and "/" in value:
            return Fraction(value)  # a ratio such as "1/2" (the slower pace's cut)
        return exact(value)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise KnowledgeError(f"{where}: must be an exact number (string or integer)") from exc


def parse_monitoring(data: dict[str, Any], name: str) -> MonitoringRules:
    """Build the core's MonitoringRules from a parsed file; KnowledgeError names the field."""
    sources = {k: Source(k, str(v["title"]), str(v.get("url", "")), str(v.get("note", "")))
               for k, v in data.get("sources", {}).items()}

    def fact(table: dict[str, Any], topic: str, where: str) -> Fact:
        return parse_fact(table, topic, f"{name}: {where}", sources)

    symptoms = []
    for i, s in enumerate(data["symptoms"]):
        try:
            symptoms.append(Symptom(str(s["id"]), s["domain"], str(s["wording"]),
                                    s.get("red_flag_from"), fact(s, "symptom", f"symptoms[{i}]")))
        except (KeyError, ValueError) as exc:
            raise KnowledgeError(f"{name}: symptoms[{i}]: {exc}") from exc
    known = {s.id for s in symptoms}
    scales = data["scales"]
    ranges = {key: Range(_number(scales[key]["min"], f"{name}: scales.{key}.min"),
                         _number(scales[key]["max"], f"{name}: scales.{key}.max"),
                         fact(scales[key], "scale", f"scales.{key}"))
              for key in ("spasticity", "sleep_quality", "temperature_c", "heart_rate")}
    labels = tuple(str(x) for x in scales["severity"]["labels"])
    severity_fact = fact(scales["severity"], "scale", "scales.severity")
    rules = []
    for i, r in enumerate(data.get("rules", [])):
        where = f"{name}: rules[{i}]"
        when = []
        for j, c in enumerate(r["when"]):
            measure = str(c["measure"])
            if measure not in VITALS and measure.removeprefix("symptom.") not in known:
                raise KnowledgeError(f"{where}.when[{j}].measure: unknown measure {measure!r}")
            when.append(Condition(measure, _number(c["at_least"], f"{where}.when[{j}].at_least")))
        rules.append(ThresholdRule(str(r["id"]), _action(r.get("action"), where), tuple(when),
                                   str(r["patient_wording"]), fact(r, "rule", f"rules[{i}]")))
    pacing = {}
    for key, params in PACING_PARAMS.items():
        table = data["pacing"].get(key)
        if table is None:
            raise KnowledgeError(f"{name}: pacing.{key}: required")
        where = f"{name}: pacing.{key}"
        pacing[key] = PacingRule(
            key, _action(table.get("action", "hold"), where),
            fact(table, "pacing", f"pacing.{key}"),
            {p: _number(table[p], f"{where}.{p}") for p in params},
            str(table.get("patient_wording", "")), str(table.get("patient_note", "")))
    windows = tuple(
        TimelineWindow(str(w["window"]), int(w["from_day"]),
                       None if "to_day" not in w else int(w["to_day"]),
                       fact(w, "timeline", f"timeline[{i}]"))
        for i, w in enumerate(data["timeline"]))
    messages = {key: str(data["messages"][key]) for key in MESSAGES}
    return MonitoringRules(
        drug_id=str(data["drug"]), drug_name=str(data["drug_name"]), sources=sources,
        severity_labels=labels, symptoms=tuple(symptoms), ranges=ranges,
        threshold_rules=tuple(rules), pacing=pacing, timeline=windows,
        timeline_fact=fact(data["timeline_days"], "timeline", "timeline_days"),
        messages=messages,
        baseline=_baseline(data["baseline"], fact, name) if "baseline" in data else None,
        severity_fact=severity_fact,
    )


def _baseline(data: dict[str, Any], fact: Any, name: str) -> BaselineRules:
    def pace(key: str) -> Pace:
        t = data[key]
        return Pace(_number(t["percent"], f"{name}: baseline.{key}.percent"), int(t["step_days"]),
                    fact(t, "baseline", f"baseline.{key}"))

    factors = {}
    for key, t in data["factors"].items():
        where = f"baseline.factors.{key}"
        if t.get("effect") not in ("slower", "caution"):
            raise KnowledgeError(f"{name}: {where}.effect: must be slower or caution")
        limit = t.get("months_at_least", t.get("age_at_least"))
        factors[key] = FactorRule(key, t["effect"], str(t["finding"]), fact(t, "baseline", where),
                                  None if limit is None else _number(limit, f"{name}: {where}"))
    missing = {"dose", "long_use", "previous_withdrawal", "cns_depressants", "psychiatric_history",
               "seizure_history", "kidney_function", "older_age"} - set(factors)
    if missing:
        raise KnowledgeError(f"{name}: baseline.factors.{sorted(missing)[0]}: required")
    return BaselineRules(pace("standard_pace"), pace("slower_pace"),
                         fact(data["pace_choice"], "baseline", "baseline.pace_choice"), factors)
