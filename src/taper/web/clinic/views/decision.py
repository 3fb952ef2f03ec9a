"""The clinician's decision page (issue 15.1): which patient, what they reported in clinical
words, the engine's basis with its sources, the suggestions (or the one applied) and
Acknowledge. The patient sees their own version of the same URL (views/patient.py)."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from taper.exports.words import mg_words
from taper.web.clinic.models import Decision
from taper.web.clinic.presenters import suggestion_rows
from taper.web.clinic.views.access import AuthedRequest

HEADLINES = {"emergency": "Red flag: emergency", "contact_prescriber": "Contact the prescriber",
             "hold": "Dose held", "proceed": "Carry on"}


def readings(decision: Decision) -> list[tuple[str, str]]:
    """What the check-in held, as (what, reading) lines a clinician reads at a glance."""
    from taper.knowledge.monitoring import load_monitoring

    data = decision.checkin.data
    try:
        rules = load_monitoring(decision.version.plan.drug)
        words = {s.id: s.wording for s in rules.symptoms}
        flags = {s.id: s.red_flag_from for s in rules.symptoms if s.red_flag_from is not None}
        grades: tuple[str, ...] = rules.severity_labels
    except KeyError:
        words, flags, grades = {}, {}, ()
    lines: list[tuple[str, str]] = []
    rated = [(k, int(v)) for k, v in data.get("symptoms", {}).items() if int(v) > 0]
    for key, grade in sorted(rated, key=lambda kv: (-kv[1], kv[0])):
        label = grades[grade] if 0 <= grade < len(grades) else ""
        name = words.get(key, key.replace("_", " ")).capitalize()
        if key in flags and grade >= flags[key]:  # asked yes or no, never graded (HZ-180)
            lines.append((name, "yes: a red flag"))
        else:
            lines.append((name, f"grade {grade}" + (f" ({label})" if label else "")))
    if not rated:
        lines.append(("Symptoms", "none rated above none"))
    for key, what, scale in (("spasticity", "Spasticity", " of 10"),
                             ("sleep_quality", "Sleep quality", " of 10"),
                             ("heart_rate", "Heart rate", " beats a minute")):
        if data.get(key) is not None:
            lines.append((what, f"{data[key]}{scale}"))
    if data.get("temperature_c") is not None:
        lines.append(("Temperature", f"{data['temperature_c']} °C"))
    elif isinstance(data.get("temperature"), dict):
        t = data["temperature"]
        lines.append(("Temperature", f"{t.get('value')} °{t.get('unit', 'F')}"))
    if data.get("doses_due"):
        missed = sorted(set(data["doses_due"]) - set(data.get("doses_taken", [])))
        lines.append(("Doses today", "all taken" if not missed
                      else f"not taken: {', '.join(missed)}"))
    if data.get("note"):
        lines.append(("The patient's note", str(data["note"])))
    return lines


def clinician_decision(request: AuthedRequest, decision: Decision) -> HttpResponse:
    d: dict[str, Any] = decision.data
    applied = None
    if decision.applied_version_id is not None:
        rows = [s for s in suggestion_rows(d) if s["kind"] == decision.applied_kind
                and s["option"] == decision.applied_option]
        applied = {"text": rows[0]["text"] if rows else "", "version": decision.applied_version}
    mine = decision.patient.clinician_id == request.user.pk
    suggestions = [] if applied or not mine else [
        {**s, "preview": _preview(request, decision, s["kind"], s["option"])}
        for s in suggestion_rows(d)]
    sources = d.get("sources", {})
    basis = [{**b, "source_title": sources.get(b.get("source", ""), "")}
             for b in d.get("basis", [])]
    return render(request, "clinic/decision_clinician.html", {
        "decision": decision, "d": d, "patient": decision.patient,
        "note": note_words(str((d.get("clinician") or {}).get("note", ""))),
        "headline": HEADLINES.get(decision.action, decision.action.replace("_", " ")),
        "readings": readings(decision), "basis": basis, "applied": applied,
        "suggestions": suggestions, "mine": mine})


def _preview(request: AuthedRequest, decision: Decision, kind: str, option: int) -> str:
    """The suggestion's new plan in one line (the apply page shows it in full)."""
    from taper.web.clinic.services import ServiceError, preview_suggestion

    try:
        _, plan = preview_suggestion(decision=decision, clinician=request.user, kind=kind,
                                     index=option)
    except ServiceError as exc:
        return f"Cannot be planned from today: {exc.message}."
    first = sum((d.mg for d in plan.baseline), Fraction(0))
    words = f"{mg_words(first)} a day until {_day(plan.start_date)}, then {len(plan.steps)} steps"
    if plan.stop_date is not None:
        words += f"; last dose {_day(plan.stop_date - timedelta(days=1))}"
    return words + "."


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def note_words(note: str) -> str:
    """The engine's note without its leading code ("HOLD: rule_id — ..."): the words only."""
    _, dash, words = note.partition(" — ")
    text = words if dash else note
    return text[:1].upper() + text[1:]
