"""Rules read against the history of check-ins: new, worse, persisting, stiffer, missed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from taper.core.monitoring.basis import Basis, Firing, InputValue
from taper.core.monitoring.checkin import CheckIn, scheduled_times
from taper.core.monitoring.messages import day_words
from taper.core.monitoring.redflags import threshold_firings
from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.plan import Plan


class HistoryTooShort(Exception):
    """The check-ins given cannot answer exactly: assess again with all of them.

    Raised only when a caller passes `complete_since` (a recent window of the history, for
    speed) and a rule would read a check-in older than the window.
    """


@dataclass(frozen=True, slots=True)
class Reference:
    """What "new or worse" is measured against: the last check-in before the taper."""

    baseline: CheckIn | None
    spasticity: int | None  # the baseline's, else the earliest recorded reading

    def severity(self, symptom_id: str) -> int:
        return 0 if self.baseline is None else self.baseline.severity(symptom_id)


def reference(log: Sequence[CheckIn], plan: Plan) -> Reference:
    before = [c for c in log if c.date < plan.start_date]
    base = before[-1] if before else None
    readings = [c.spasticity for c in log if c.spasticity is not None]
    if base is not None and base.spasticity is not None:
        spasticity: int | None = base.spasticity
    else:
        spasticity = readings[0] if readings else None
    return Reference(base, spasticity)


def _worse(checkin: CheckIn, ref: Reference, symptom_id: str, at_least: int) -> bool:
    level = checkin.severity(symptom_id)
    return level >= at_least and level > ref.severity(symptom_id)


def _run_start(symptom_id: str, log: Sequence[CheckIn], latest: CheckIn, ref: Reference,
               at_least: int, complete_since: date | None = None) -> date:
    """The first day of the unbroken run of check-ins with the symptom at or above the level.

    With `complete_since`, a run that reaches back to the window's edge may go on before it:
    HistoryTooShort.
    """
    start = latest.date
    for c in reversed([c for c in log if c.date <= latest.date]):
        if complete_since is not None and c.date < complete_since:
            raise HistoryTooShort(f"{symptom_id} has lasted since before {complete_since}")
        if not _worse(c, ref, symptom_id, at_least):
            return start
        start = c.date
    if complete_since is not None:
        raise HistoryTooShort(f"{symptom_id} has lasted since the first check-in given")
    return start


def _describe(ids: Sequence[str], checkin: CheckIn, rules: MonitoringRules) -> str:
    parts = []
    for sid in ids:
        symptom = rules.symptom(sid)
        assert symptom is not None  # check-ins name only catalogued symptoms (checkin.py)
        wording = symptom.wording[0].lower() + symptom.wording[1:]
        parts.append(f"{wording} ({rules.severity_label(checkin.severity(sid))})")
    return ", ".join(parts)


def symptom_firings(latest: CheckIn, log: Sequence[CheckIn], ref: Reference,
                    rules: MonitoringRules, complete_since: date | None = None) -> list[Firing]:
    """Moderate → hold; severe or persisting → contact. Red-flag symptoms are left to red flags."""
    flagged = {s.id for s in rules.symptoms if s.is_red_flag(latest.severity(s.id))}
    moderate, severe = rules.pacing["moderate_symptom"], rules.pacing["severe_symptom"]
    persisting = rules.pacing["persisting_symptom"]
    hold_from = int(moderate.param("from_severity"))
    contact_from = int(severe.param("from_severity"))
    persist_from = int(persisting.param("from_severity"))
    persist_days = int(persisting.param("days"))
    candidates = sorted(s for s in latest.symptoms if s not in flagged)
    worse_severe = [s for s in candidates if _worse(latest, ref, s, contact_from)]
    runs = {s: (latest.date - _run_start(s, log, latest, ref, persist_from, complete_since)).days
            for s in candidates if _worse(latest, ref, s, persist_from)}
    lasting = [s for s, days in runs.items() if days >= persist_days]
    worse_moderate = [s for s in candidates if _worse(latest, ref, s, hold_from)
                      and s not in worse_severe and s not in lasting]
    out = []
    for rule, ids in ((severe, worse_severe), (persisting, lasting), (moderate, worse_moderate)):
        if not ids:
            continue
        inputs: dict[str, InputValue] = {"checkin": latest.date.isoformat()}
        for sid in ids:
            inputs[sid] = latest.severity(sid)
            inputs[f"{sid}.before_taper"] = ref.severity(sid)
            if rule is persisting:
                inputs[f"{sid}.days"] = runs[sid]
        days = max((runs.get(s, 0) for s in ids), default=0)
        wording = rule.patient_wording.format(symptoms=_describe(ids, latest, rules), days=days)
        out.append(Firing(rule.action, Basis.of(rule.id, rule.fact, inputs), (wording,)))
    return out


def spasticity_firing(latest: CheckIn, ref: Reference, rules: MonitoringRules) -> list[Firing]:
    rule = rules.pacing["spasticity_rise"]
    if latest.spasticity is None or ref.spasticity is None:
        return []
    if latest.spasticity - ref.spasticity < rule.param("points"):
        return []
    inputs: dict[str, InputValue] = {
        "checkin": latest.date.isoformat(), "spasticity": latest.spasticity,
        "spasticity.reference": ref.spasticity, "rise.at_least": int(rule.param("points")),
    }
    wording = rule.patient_wording.format(now=latest.spasticity, before=ref.spasticity)
    return [Firing(rule.action, Basis.of(rule.id, rule.fact, inputs), (wording,))]


def missed_dose_firing(latest: CheckIn, plan: Plan, rules: MonitoringRules) -> list[Firing]:
    """Two or more dose times due and not taken in a day (SPEC M1 adherence; issue 3).

    Due is what the check-in says was due when it was made, else every scheduled time.
    """
    rule = rules.pacing["missed_doses"]
    if latest.doses_taken is None:
        return []
    scheduled = scheduled_times(plan, latest.date)
    due = scheduled if latest.doses_due is None else tuple(
        t for t in scheduled if t in latest.doses_due)
    missed = [t for t in due if t not in latest.doses_taken]
    if len(missed) < rule.param("at_least"):
        return []
    inputs: dict[str, InputValue] = {
              "checkin": latest.date.isoformat(),
              "scheduled": ", ".join(t.strftime("%H:%M") for t in scheduled),
              "missed": ", ".join(t.strftime("%H:%M") for t in missed),
              "missed.at_least": int(rule.param("at_least"))}
    wording = rule.patient_wording.format(missed=len(missed), date=day_words(latest.date, rules))
    note = rule.patient_note.format(drug=rules.drug_name)
    return [Firing(rule.action, Basis.of(rule.id, rule.fact, inputs), (wording,), (note,))]


def is_stable(checkin: CheckIn, ref: Reference, rules: MonitoringRules) -> bool:
    """No red flag, no vital-sign rule, nothing new or worse at moderate, no stiffening."""
    if threshold_firings(checkin, rules):  # red flags are threshold rules too
        return False
    hold_from = int(rules.pacing["moderate_symptom"].param("from_severity"))
    if any(_worse(checkin, ref, s, hold_from) for s in checkin.symptoms):
        return False
    return not spasticity_firing(checkin, ref, rules)
