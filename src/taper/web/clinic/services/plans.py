"""A plan's life: draft → approved → active → changed/completed/stopped; each step an event.

A version's request and plan JSON are written once. A change is a new version; the old one
stays readable with the status `changed`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.timezone import now

from taper.core.plan import Plan as EnginePlan
from taper.web.clinic.audit.trail import audited
from taper.web.clinic.engine import ServiceError, local_today, plan_json, plan_request
from taper.web.clinic.models import (
    LifecycleEvent,
    Origin,
    Patient,
    Plan,
    PlanVersion,
    Role,
    Status,
    User,
)
from taper.web.clinic.services.screening import screened
from taper.web.clinic.services.versions import create_version


def may_author(user: User, patient: Patient) -> bool:
    """The patient's clinician; or the patient themself when they plan alone."""
    if user.role == Role.CLINICIAN:
        return patient.clinician_id == user.pk
    return user.role == Role.PATIENT and patient.is_solo and patient.user_id == user.pk


def _event(version: PlanVersion, kind: str, actor: User | None, note: str = "") -> None:
    LifecycleEvent.objects.create(plan=version.plan, version=version, kind=kind, actor=actor,
                                  note=note)


def _planned(patient: Patient, request_data: dict[str, Any], today: date | None) -> EnginePlan:
    if not request_data.get("drug"):
        raise ServiceError("drug", "required")
    return plan_request(request_data, today or local_today(patient.timezone))


def preview_plan(*, patient: Patient, request_data: dict[str, Any],
                 today: date | None = None) -> EnginePlan:
    """The engine's plan for a request, saving nothing (the builder's preview)."""
    return _planned(patient, request_data, today)


def _plan_first(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Validate and plan before the transaction: planning can take a while (issue 16)."""
    patient = kwargs["patient"] if "patient" in kwargs else kwargs["version"].plan.patient
    if not may_author(kwargs["author"], patient):
        return {}  # the service refuses, with its own words
    return {"planned": _planned(patient, kwargs["request_data"], kwargs.get("today"))}


@screened(_plan_first)
@transaction.atomic
@audited("create_plan_draft", actor="author")
def create_plan_draft(*, patient: Patient, author: User, request_data: dict[str, Any],
                      today: date | None = None, planned: EnginePlan | None = None) -> PlanVersion:
    """A new plan with its first version as a draft; bad input raises and saves nothing."""
    if not may_author(author, patient):
        raise ServiceError("", "only the patient's clinician can plan for them")
    plan = planned or _planned(patient, request_data, today)
    container = Plan.objects.create(patient=patient, drug=plan.drug_id, created_by=author)
    version = create_version(plan=container, number=1, request=request_data,
                             plan_json=plan_json(plan), created_by=author)
    _event(version, "created", author)
    return version


@screened(_plan_first)
@transaction.atomic
@audited("change_plan", actor="author")
def change_plan(*, version: PlanVersion, author: User, request_data: dict[str, Any],
                today: date | None = None, planned: EnginePlan | None = None) -> PlanVersion:
    """A new draft version of the same plan; the current one stays in force until activation."""
    patient = version.plan.patient
    if not may_author(author, patient):
        raise ServiceError("", "only the patient's clinician can change this plan")
    if version.status not in (Status.APPROVED, Status.ACTIVE, Status.DRAFT):
        raise ServiceError("", f"a {version.get_status_display().lower()} plan cannot be changed")
    plan = planned or _planned(patient, request_data, today)
    if plan.drug_id != version.plan.drug:
        raise ServiceError("drug", f"a change keeps the drug ({version.plan.drug}); start a new plan")
    latest = version.plan.versions.order_by("-number").first()
    assert latest is not None
    new = create_version(plan=version.plan, number=latest.number + 1,
                         request=request_data, plan_json=plan_json(plan),
                         origin=Origin.CHANGE, based_on=version, created_by=author)
    _event(new, "created", author, f"change of version {version.number}")
    return new


@transaction.atomic
@audited("approve_plan", actor="clinician")
def approve_plan(*, version: PlanVersion, clinician: User, note: str = "") -> PlanVersion:
    """A prescriber's review: who and when, with an optional note."""
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if clinician.role != Role.CLINICIAN or version.plan.patient.clinician_id != clinician.pk:
        raise ServiceError("", "only the patient's clinician can approve this plan")
    if version.status != Status.DRAFT:
        raise ServiceError("", f"only a draft can be approved; this one is {version.status}")
    version.status = Status.APPROVED
    version.approved_by, version.approved_at = clinician, now()
    version.approval_note = note.strip()
    version.save(update_fields=["status", "approved_by", "approved_at", "approval_note"])
    _event(version, "approved", clinician, version.approval_note)
    return version


@transaction.atomic
@audited("activate", actor="actor")
def activate(*, version: PlanVersion, actor: User) -> PlanVersion:
    """Put a version in force. The version it replaces becomes `changed`.

    Someone planning alone may activate their own draft; it stays "not reviewed by a
    prescriber" everywhere until a clinician approves a version.
    """
    lock_patient(version.patient_id)  # two activations for one patient queue here
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    patient = version.plan.patient
    if not may_author(actor, patient):
        raise ServiceError("", "only the patient's clinician can start this plan")
    solo_draft = patient.is_solo and version.status == Status.DRAFT
    if version.status != Status.APPROVED and not solo_draft:
        raise ServiceError("", "a plan must be approved by the prescriber before it starts")
    current = PlanVersion.objects.select_for_update().filter(
        plan__patient=patient, status=Status.ACTIVE).first()
    if current is not None:
        if current.plan_id != version.plan_id:
            raise ServiceError("", "another plan is active; stop it first")
        current.status = Status.CHANGED
        current.save(update_fields=["status"])
        _event(current, "changed", actor, f"replaced by version {version.number}")
    version.status = Status.ACTIVE
    save_in_force(version)
    _event(version, "activated", actor)
    return version


def lock_patient(patient_id: int) -> None:
    """Queue behind any other change of what is in force for this patient (PostgreSQL)."""
    Patient.objects.select_for_update().filter(pk=patient_id).values_list("pk").first()


ANOTHER_IN_FORCE = "another version of this patient's plan was put in force at the same moment; reload"


def save_in_force(version: PlanVersion, **create: Any) -> PlanVersion:
    """Save `version` as active (or create one from `create`), answering the database's
    one-active-version constraint with a clear refusal instead of a 500."""
    try:
        with transaction.atomic():
            if create:
                return create_version(**create)
            version.save(update_fields=["status"])
            return version
    except IntegrityError as exc:
        if not {"one_active_version_per_patient", "clinic_planversion.patient_id"} & set(
                str(exc).replace('"', " ").split()):
            raise
        raise ServiceError("", ANOTHER_IN_FORCE) from None


@transaction.atomic
@audited("stop_plan", actor="actor")
def stop_plan(*, version: PlanVersion, actor: User, reason: str) -> PlanVersion:
    """End a plan early (or withdraw a draft) with a written reason."""
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if not may_author(actor, version.plan.patient):
        raise ServiceError("", "only the patient's clinician can stop this plan")
    if not reason.strip():
        raise ServiceError("reason", "required: say why the plan stops")
    if version.status not in (Status.DRAFT, Status.APPROVED, Status.ACTIVE):
        raise ServiceError("", f"this version is already {version.status}")
    version.status = Status.WITHDRAWN if version.status == Status.DRAFT else Status.STOPPED
    version.end_reason = reason.strip()
    version.save(update_fields=["status", "end_reason"])
    _event(version, version.status, actor, version.end_reason)
    return version


@transaction.atomic
@audited("complete_plan", actor="actor")
def complete_plan(*, version: PlanVersion, actor: User, today: date | None = None) -> PlanVersion:
    """Mark an active plan completed once its stop date has come."""
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    patient = version.plan.patient
    if not may_author(actor, patient):
        raise ServiceError("", "only the patient's clinician can complete this plan")
    stop = version.plan_json.get("stop_date")
    day = today or local_today(patient.timezone)
    if version.status != Status.ACTIVE or stop is None or day < date.fromisoformat(stop):
        raise ServiceError("", "only an active plan whose last dose has passed can be completed")
    version.status = Status.COMPLETED
    version.save(update_fields=["status"])
    _event(version, "completed", actor)
    return version


@audited("hold_version", actor="actor")
def hold_version(*, version: PlanVersion, held: EnginePlan, actor: User, note: str) -> PlanVersion:
    """The engine's held plan as a new active version (called inside record_checkin's transaction).

    A hold changes no dose, only dates, so the prescriber's approval carries over.
    """
    latest = version.plan.versions.order_by("-number").first()
    assert latest is not None
    version.status = Status.CHANGED  # first: one version in force at any moment
    version.save(update_fields=["status"])
    new = save_in_force(
        version, plan=version.plan, number=latest.number + 1, request=version.request,
        plan_json=plan_json(held), status=Status.ACTIVE, origin=Origin.HOLD, based_on=version,
        created_by=None, approved_by=version.approved_by, approved_at=version.approved_at,
        approval_note=version.approval_note)
    _event(version, "changed", None, f"held: replaced by version {new.number}")
    _event(new, "held", actor, note)
    return new
