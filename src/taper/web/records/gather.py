"""Read one patient's rows into the plain `PatientRecord` the record builders take.

Every row is read, none is filtered: withdrawn drafts, amended check-ins and replaced
versions are part of the record. Each check-in is parsed by the monitoring engine's own
parser against the catalogue of the drug it was recorded with.
"""

from __future__ import annotations

from datetime import datetime

from taper.core.monitoring.checkin import parse_checkin
from taper.exports.record.model import (
    AlertRow,
    CheckInRow,
    DecisionRow,
    DoseTakenRow,
    EventRow,
    FollowUpRow,
    MessageRow,
    PatientRecord,
    VersionRow,
)
from taper.web.clinic.engine import stored_plan
from taper.web.clinic.models import (
    Alert,
    CheckIn,
    Decision,
    DoseTaken,
    FollowUp,
    LifecycleEvent,
    Patient,
    PlanVersion,
)


def _email(user: object) -> str | None:
    return None if user is None else str(getattr(user, "email", "")) or None


def _drug_of(patient: Patient) -> str:
    from taper.knowledge.monitoring import monitored_drugs

    latest = PlanVersion.objects.filter(plan__patient=patient).order_by(
        "-created_at", "-id").values_list("plan__drug", flat=True).first()
    return latest or monitored_drugs()[0]


def patient_record(patient: Patient, at: datetime) -> PatientRecord:
    """Everything stored about `patient`, as of `at` (the record's timestamp)."""
    from taper.exports.fhir import medication_code
    from taper.knowledge import load_drug
    from taper.knowledge.monitoring import load_monitoring

    events: dict[int, list[EventRow]] = {}
    for e in LifecycleEvent.objects.filter(plan__patient=patient).select_related("actor").order_by(
            "at", "id"):
        events.setdefault(e.version_id, []).append(
            EventRow(e.pk, e.kind, e.at, _email(e.actor), e.note))
    versions = tuple(
        VersionRow(v.pk, v.plan_id, v.number, v.plan.drug, v.status, v.origin, v.based_on_id,
                   v.created_at, _email(v.created_by), _email(v.approved_by), v.approved_at,
                   v.approval_note, v.end_reason, stored_plan(v.plan_json),
                   tuple(events.get(v.pk, ())))
        for v in PlanVersion.objects.filter(plan__patient=patient).select_related(
            "plan", "created_by", "approved_by").order_by("plan_id", "number"))
    drugs = {v.drug_id for v in versions}
    knowledge = {d: load_drug(d) for d in drugs}
    rules = load_monitoring(_drug_of(patient))
    checkins = tuple(
        CheckInRow(c.pk, c.created_at, c.entered_by.email, c.amends_id,
                   parse_checkin(c.data, i, rules, c.date))
        for i, c in enumerate(CheckIn.objects.filter(patient=patient).select_related(
            "entered_by").order_by("created_at", "id")))
    decisions = tuple(
        DecisionRow(d.pk, d.checkin_id, d.version_id, d.held_version_id, d.created_at, d.action,
                    str(d.data.get("message", "")), d.flagged_for_clinician, d.acknowledged_at,
                    _email(d.acknowledged_by), d.data)
        for d in Decision.objects.filter(patient=patient).select_related(
            "acknowledged_by").order_by("created_at", "id"))
    doses = tuple(DoseTakenRow(d.pk, d.version_id, d.date, d.time, d.recorded_at)
                  for d in DoseTaken.objects.filter(patient=patient).order_by("date", "time", "id"))
    followups = tuple(FollowUpRow(f.pk, f.plan_id, f.date, f.time, f.note, f.created_at)
                      for f in FollowUp.objects.filter(plan__patient=patient).order_by(
                          "date", "time", "id"))
    alerts = tuple(AlertRow(a.pk, a.kind, a.recipient.email, a.decision_id, a.created_at, a.sent_at)
                   for a in Alert.objects.filter(patient=patient).select_related(
                       "recipient").order_by("created_at", "id"))
    from taper.web.messaging.models import Message

    messages = tuple(MessageRow(m.pk, m.from_clinic, m.author.email, m.body, m.created_at,
                                m.read_at)
                     for m in Message.objects.filter(patient=patient).select_related(
                         "author").order_by("created_at", "id"))
    return PatientRecord(
        patient_id=patient.pk, name=patient.name, email=patient.user.email,
        timezone=patient.timezone, created_at=patient.created_at,
        clinician=_email(patient.clinician), generated_at=at,
        medications={d: medication_code(k) for d, k in knowledge.items()},
        drug_names={d: k.name for d, k in knowledge.items()},
        symptoms=tuple(rules.symptoms), versions=versions, checkins=checkins,
        decisions=decisions, doses_taken=doses, followups=followups, alerts=alerts,
        messages=messages)
