"""A patient's whole record as a FHIR R4 Bundle of type `collection` (issue 18, item 4).

What goes where, and why:

- the person: a Patient;
- each drug: a Medication (RxNorm-coded only where the knowledge base holds a verified code);
- each plan version: a MedicationRequest with one Dosage per step and dose time, as the
  plan export writes them. Versions of one plan share a `groupIdentifier`; a change or a
  hold names the version it replaced in `priorPrescription`. The approval, the end reason
  and every lifecycle event are its `note`s (who, when, what they wrote);
- each check-in row (amendments too, each row as entered): a QuestionnaireResponse and its
  vital-sign Observations (`derivedFrom` the response). A row that amends an earlier one
  has status `amended`;
- each decision: a ClinicalImpression. The decision is the outcome of applying a protocol
  (the drug's monitoring rules) to findings (one check-in) at a point in time, which is
  what ClinicalImpression records (`investigation` -> the QuestionnaireResponse,
  `protocol`, `summary`, `date`). A DetectedIssue would claim a problem where most
  decisions are "proceed", and a Communication is the message, not the judgement. The held
  version is `supportingInfo`; an acknowledgement is a `note`;
- each dose marked as taken: a MedicationStatement (patient-reported, `basedOn` the version);
- each follow-up: an Appointment (booked, the patient a participant, the plan's latest
  version as `supportingInformation`);
- each alert to a clinician: a Communication about the decision that raised it.

Ids are uuid5 from the patient's id, the kind and the row's id, so the same rows always
give the same bundle; every reference is the `urn:uuid:` fullUrl of an entry in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from taper.exports.fhir.dosage import dosages
from taper.exports.fhir.ids import stable_uuid, urn
from taper.exports.fhir.questionnaire import observations, questionnaire, questionnaire_response
from taper.exports.record.model import (
    AlertRow,
    CheckInRow,
    DecisionRow,
    MessageRow,
    PatientRecord,
    VersionRow,
)

# Clinic version status -> (MedicationRequest.status, reviewed?). A replaced version was
# stopped in favour of its successor; a withdrawn draft never took effect.
_REQUEST_STATUS = {
    "draft": "draft", "approved": "active", "active": "active", "changed": "stopped",
    "completed": "completed", "stopped": "stopped", "withdrawn": "cancelled",
}  # fmt: skip
PROTOCOL = "urn:taper:monitoring-rules:"  # + drug id: the rules a decision applied
ALERT_WORDS = {
    "red_flag": "Red flag", "contact_prescriber": "Asks for the prescriber",
    "missed_checkin": "Missed check-ins", "overdue_ack": "Red flag not acknowledged in time",
}  # fmt: skip


class Ids:
    """The record's ids: uuid5 over (patient, kind, row id)."""

    def __init__(self, patient_id: int) -> None:
        self.patient_id = patient_id

    def of(self, kind: str, row: object = "") -> str:
        return stable_uuid("taper-record", self.patient_id, kind, row)

    def ref(self, kind: str, row: object = "") -> dict[str, str]:
        return {"reference": urn(self.of(kind, row))}


def _instant(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


def bundle(record: PatientRecord) -> dict[str, Any]:
    """The record as a Bundle dict (validate with `taper.exports.record.checks.check`)."""
    ids = Ids(record.patient_id)
    resources = [patient(record, ids), *medications(record, ids)]
    if record.symptoms:
        resources.append(questionnaire(record.symptoms))
    resources += [medication_request(v, record, ids) for v in record.versions]
    resources += list(checkin_resources(record, ids))
    resources += [clinical_impression(d, record, ids) for d in record.decisions]
    resources += [dose_statement(record, ids, i) for i in range(len(record.doses_taken))]
    resources += [appointment(record, ids, i) for i in range(len(record.followups))]
    resources += [communication(a, ids) for a in record.alerts]
    resources += [message(m, ids) for m in record.messages]
    return {
        "resourceType": "Bundle",
        "id": ids.of("bundle", record.generated_at.isoformat()),
        "type": "collection",
        "timestamp": _instant(record.generated_at),
        "entry": [{"fullUrl": urn(r["id"]), "resource": r} for r in resources],
    }


def patient(record: PatientRecord, ids: Ids) -> dict[str, Any]:
    found: dict[str, Any] = {
        "resourceType": "Patient",
        "id": ids.of("patient"),
        "identifier": [{"system": "urn:taper:patient", "value": str(record.patient_id)}],
        "name": [{"text": record.name}],
        "telecom": [{"system": "email", "value": record.email, "use": "home"}],
    }
    if record.clinician:
        found["generalPractitioner"] = [{"display": record.clinician}]
    return found


def medications(record: PatientRecord, ids: Ids) -> list[dict[str, Any]]:
    drugs = sorted({v.drug_id for v in record.versions})
    return [{"resourceType": "Medication", "id": ids.of("medication", d),
             "code": dict(record.medications[d])} for d in drugs]  # fmt: skip


def _version_notes(v: VersionRow) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = []
    if v.approved_by and v.approved_at:
        text = f"Approved by {v.approved_by}." + (f" {v.approval_note}" if v.approval_note else "")
        notes.append({"authorString": v.approved_by, "time": _instant(v.approved_at), "text": text})
    for e in v.events:
        note: dict[str, Any] = {"time": _instant(e.at), "text": f"{e.kind}" + (
            f": {e.note}" if e.note else "")}
        if e.actor:
            note["authorString"] = e.actor
        notes.append(note)
    if v.end_reason:
        notes.append({"text": f"Ended: {v.end_reason}"})
    return notes


def medication_request(v: VersionRow, record: PatientRecord, ids: Ids) -> dict[str, Any]:
    reviewed = v.approved_by is not None
    found: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": ids.of("version", v.id),
        "identifier": [{"system": "urn:taper:plan-version", "value": f"{v.plan_id}|{v.number}"}],
        "groupIdentifier": {"system": "urn:taper:plan", "value": str(v.plan_id)},
        "status": _REQUEST_STATUS[v.status],
        "intent": "order" if reviewed else "proposal",
        "medicationReference": ids.ref("medication", v.drug_id),
        "subject": ids.ref("patient"),
        "authoredOn": _instant(v.created_at),
        "dosageInstruction": dosages(v.plan),
    }
    if v.created_by:
        found["requester"] = {"display": v.created_by}
    if v.based_on_id is not None and any(o.id == v.based_on_id for o in record.versions):
        found["priorPrescription"] = ids.ref("version", v.based_on_id)
    notes = _version_notes(v)
    if notes:
        found["note"] = notes
    return found


def checkin_resources(record: PatientRecord, ids: Ids) -> Iterator[dict[str, Any]]:
    """A QuestionnaireResponse per check-in row and the Observations derived from it."""
    subject = urn(ids.of("patient"))
    for row in record.checkins:
        yield checkin_response(row, record, ids)
        for obs in observations(row.checkin, patient=subject):
            code = obs["code"]["coding"][0]["code"]
            obs["id"] = ids.of("observation", f"{row.id}|{code}")
            obs["derivedFrom"] = [ids.ref("checkin", row.id)]
            yield obs


def checkin_response(row: CheckInRow, record: PatientRecord, ids: Ids) -> dict[str, Any]:
    found = questionnaire_response(row.checkin, record.symptoms, patient=urn(ids.of("patient")))
    found["id"] = ids.of("checkin", row.id)
    found["identifier"] = {"system": "urn:taper:check-in", "value": str(row.id)}
    found["authored"] = _instant(row.created_at)
    found["author"] = {"display": row.entered_by}
    if row.amends_id is not None:
        found["status"] = "amended"
    # The day the answers are about (the response itself was authored at entry).
    found["item"].insert(0, {"linkId": "date", "text": "Check-in day",
                             "answer": [{"valueDate": row.checkin.date.isoformat()}]})
    return found


def clinical_impression(d: DecisionRow, record: PatientRecord, ids: Ids) -> dict[str, Any]:
    drug = str(d.data.get("drug", "")) if d.data else ""
    found: dict[str, Any] = {
        "resourceType": "ClinicalImpression",
        "id": ids.of("decision", d.id),
        "identifier": [{"system": "urn:taper:decision", "value": str(d.id)}],
        "status": "completed",
        "code": {"text": f"Check-in assessment: {d.action}"},
        "subject": ids.ref("patient"),
        "date": _instant(d.created_at),
        "investigation": [{"code": {"text": "Daily check-in"},
                           "item": [ids.ref("checkin", d.checkin_id)]}],
        "summary": d.message or d.action,
        "finding": [{"itemCodeableConcept": {
            "coding": [{"system": "urn:taper:codesystem:pacing-action", "code": d.action}],
            "text": d.action}}],
    }  # fmt: skip
    if drug:
        found["protocol"] = [f"{PROTOCOL}{drug}"]
    supporting = [ids.ref("version", d.version_id)]
    if d.held_version_id is not None:
        supporting.append(ids.ref("version", d.held_version_id))
    found["supportingInfo"] = supporting
    if d.acknowledged_at is not None:
        found["note"] = [{"authorString": d.acknowledged_by or "", "time": _instant(
            d.acknowledged_at), "text": "Acknowledged by the clinician."}]
    return found


def dose_statement(record: PatientRecord, ids: Ids, index: int) -> dict[str, Any]:
    row = record.doses_taken[index]
    drug = next((v.drug_id for v in record.versions if v.id == row.version_id), "")
    return {
        "resourceType": "MedicationStatement",
        "id": ids.of("dose-taken", row.id),
        "status": "completed",
        "basedOn": [ids.ref("version", row.version_id)],
        "medicationReference": ids.ref("medication", drug),
        "subject": ids.ref("patient"),
        # A FHIR dateTime with a time needs its offset: the dose time in the patient's zone.
        "effectiveDateTime": datetime.combine(row.date, row.time, ZoneInfo(record.timezone))
        .isoformat(),
        "dateAsserted": _instant(row.recorded_at),
        "informationSource": ids.ref("patient"),
        "note": [{"text": f"Dose time {row.time:%H:%M} ({record.timezone}) marked as taken."}],
    }


def appointment(record: PatientRecord, ids: Ids, index: int) -> dict[str, Any]:
    row = record.followups[index]
    day = row.date.isoformat()
    latest = [v for v in record.versions if v.plan_id == row.plan_id][-1:]
    found: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": ids.of("follow-up", row.id),
        "status": "booked",
        "description": row.note or "Follow-up",
        "created": _instant(row.created_at),
        "requestedPeriod": [{"start": day, "end": day}],
        "participant": [{"actor": ids.ref("patient"), "status": "accepted"}],
    }
    if row.time is not None:
        found["comment"] = f"At {row.time:%H:%M} ({record.timezone})."
    if latest:
        found["supportingInformation"] = [ids.ref("version", latest[0].id)]
    return found


def communication(a: AlertRow, ids: Ids) -> dict[str, Any]:
    found: dict[str, Any] = {
        "resourceType": "Communication",
        "id": ids.of("alert", a.id),
        "status": "completed" if a.sent_at is not None else "in-progress",
        "category": [{"text": ALERT_WORDS.get(a.kind, a.kind)}],
        "subject": ids.ref("patient"),
        "payload": [{"contentString": f"{ALERT_WORDS.get(a.kind, a.kind)}: alert to {a.recipient}"}],
    }
    if a.sent_at is not None:
        found["sent"] = _instant(a.sent_at)
    if a.decision_id is not None:
        found["about"] = [ids.ref("decision", a.decision_id)]
    return found


def message(m: MessageRow, ids: Ids) -> dict[str, Any]:
    """A secure message between the patient's side and the clinic, with when it was read."""
    found: dict[str, Any] = {
        "resourceType": "Communication",
        "id": ids.of("message", m.id),
        "status": "completed",
        "category": [{"text": "Secure message from the clinic" if m.from_clinic
                      else "Secure message to the clinic"}],
        "subject": ids.ref("patient"),
        "sent": _instant(m.created_at),
        "sender": {"display": m.author},
        "payload": [{"contentString": m.body}],
    }
    if m.read_at is not None:
        found["received"] = _instant(m.read_at)
    return found
