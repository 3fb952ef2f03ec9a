"""What the API answers. Plans and decisions carry the engines' own JSON unchanged."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, Field

from taper.core.limits import MAX_ID_CHARS, MAX_LABEL_CHARS, MAX_NOTE_CHARS, has_nul
from taper.web.clinic.models import CheckIn, Decision, Patient, PlanVersion


def _no_nul(value: str) -> str:
    if has_nul(value):
        raise ValueError("must not contain a NUL character")
    return value


def Text(max_length: int) -> Any:
    """A string of at most max_length characters, never a NUL (PostgreSQL cannot store it)."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_no_nul)]


class Error(Schema):
    detail: str
    field: str = ""


class PatientIn(Schema):
    name: Text(MAX_LABEL_CHARS)  # type: ignore[valid-type]
    email: Text(254)  # type: ignore[valid-type]
    timezone: Text(MAX_ID_CHARS) = "UTC"  # type: ignore[valid-type]  # IANA name; the patient's day (check-ins, doses) is reckoned in it


class PatientOut(Schema):
    id: int
    name: str
    email: str
    timezone: str
    clinician: str | None
    created_at: datetime
    invitation_link: str | None = None  # only in the answer that made the patient: shown once


class ApproveIn(Schema):
    note: Text(MAX_NOTE_CHARS) = ""  # type: ignore[valid-type]


class PlanOut(Schema):
    id: int  # the version's id (URLs /api/plans/{id} and /plans/{id}/)
    plan_id: int
    patient_id: int
    number: int
    status: str
    origin: str
    reviewed: bool
    approved_by: str | None
    approved_at: datetime | None
    approval_note: str
    created_at: datetime
    drug: str
    start_date: str
    stop_date: str | None
    steps: list[dict[str, Any]]
    supply: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    plan: dict[str, Any]  # plan_to_json, whole
    request: dict[str, Any]  # the planning request as sent


class DecisionOut(Schema):
    id: int
    action: str
    flagged_for_clinician: bool
    held_version_id: int | None
    decision: dict[str, Any]  # decision_json, whole


class CheckInOut(Schema):
    id: int
    patient_id: int
    date: date
    data: dict[str, Any]  # the check-in as sent
    amends: int | None
    entered_by: str
    created_at: datetime
    decision: DecisionOut | None


class AttentionOut(Schema):
    kind: str
    patient_id: int
    patient_name: str
    reason: str
    since: datetime | None
    due: date | None
    decision_id: int | None
    count: int


class AcknowledgedOut(Schema):
    id: int
    patient_id: int
    action: str
    acknowledged_at: datetime
    acknowledged_by: str


class DashboardOut(Schema):
    generated_at: datetime
    items: list[AttentionOut]


def patient_out(patient: Patient, link: str | None = None) -> dict[str, Any]:
    return {"id": patient.pk, "name": patient.name, "email": patient.user.email,
            "timezone": patient.timezone,
            "clinician": None if patient.clinician is None else patient.clinician.email,
            "created_at": patient.created_at, "invitation_link": link}


def plan_out(version: PlanVersion) -> dict[str, Any]:
    data = version.plan_json
    return {"id": version.pk, "plan_id": version.plan_id, "patient_id": version.plan.patient_id,
            "number": version.number, "status": version.status, "origin": version.origin,
            "reviewed": version.reviewed,
            "approved_by": None if version.approved_by is None else version.approved_by.email,
            "approved_at": version.approved_at, "approval_note": version.approval_note,
            "created_at": version.created_at, "drug": version.plan.drug,
            "start_date": data["start_date"], "stop_date": data.get("stop_date"),
            "steps": data["steps"], "supply": data["supply"], "warnings": data["warnings"],
            "plan": data, "request": version.request}


def decision_out(decision: Decision) -> dict[str, Any]:
    return {"id": decision.pk, "action": decision.action,
            "flagged_for_clinician": decision.flagged_for_clinician,
            "held_version_id": decision.held_version_id, "decision": decision.data}


def checkin_out(checkin: CheckIn, decision: Decision | None) -> dict[str, Any]:
    return {"id": checkin.pk, "patient_id": checkin.patient_id, "date": checkin.date,
            "data": checkin.data, "amends": checkin.amends_id,
            "entered_by": checkin.entered_by.email, "created_at": checkin.created_at,
            "decision": None if decision is None else decision_out(decision)}
