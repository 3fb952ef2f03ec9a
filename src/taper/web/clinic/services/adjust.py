"""Acting on the monitoring engine's suggestions, and a prescriber's hold.

A suggestion becomes a new plan version built from the stored request, from the patient's
today: the planner does all the arithmetic. "Return to the last tolerated dose" takes the
tolerated step's doses (as the engine spread them over the dose times) as the dose in force,
keeps them for one step of the original strategy's length, then continues the original
strategy from there. "Continue at a slower pace" keeps today's doses and continues with the
suggested strategy from today. Approval and activation are one confirmation.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils.timezone import now as current_time

from taper.core.plan import Plan as EnginePlan
from taper.web.clinic.audit.trail import audited
from taper.web.clinic.engine import ServiceError, local_today, plan_json, stored_plan
from taper.web.clinic.models import Decision, Origin, PlanVersion, Role, Status, User
from taper.web.clinic.services.plans import (
    _event,
    _planned,
    activate,
    approve_plan,
    change_plan,
    lock_patient,
    save_in_force,
)

KINDS = ("return_to_dose", "slower_pace")


def _mg(value: Fraction) -> str:
    from taper.core.amounts import decimal_str

    return decimal_str(value)


def suggestion(decision: Decision, kind: str, index: int = 0) -> dict[str, Any]:
    """The decision's `index`-th suggestion of this kind (404-worthy ServiceError if none)."""
    found = [s for s in decision.data.get("suggestions", []) if s.get("kind") == kind]
    if kind not in KINDS or not 0 <= index < len(found):
        raise ServiceError("suggestion", "this decision has no such suggestion")
    return dict(found[index])


def _doses_at(plan: EnginePlan, daily_mg: Fraction) -> list[dict[str, str]]:
    """The doses of the last step (or the baseline) whose daily total is `daily_mg`."""
    candidates = [plan.baseline] + [s.doses for s in plan.steps]
    for doses in reversed(candidates):
        if sum((d.mg for d in doses), Fraction(0)) == daily_mg:
            return [{"time": d.time.strftime("%H:%M"), "mg": _mg(d.mg)} for d in doses]
    raise ServiceError("suggestion", f"no step of the plan gives {_mg(daily_mg)} mg a day")


def suggested_request(*, version: PlanVersion, decision: Decision, kind: str, index: int = 0,
                      today: date) -> dict[str, Any]:
    """The planning request for a suggestion, from the stored request and `today`."""
    wanted = suggestion(decision, kind, index)
    plan = stored_plan(version.plan_json)
    request: dict[str, Any] = copy.deepcopy(version.request)
    if kind == "return_to_dose":
        daily = Fraction(str(wanted["daily_mg"]))
        request["current_doses"] = _doses_at(plan, daily)
        # Stay at the tolerated dose for one step of the original length before the next cut.
        hold = int(request.get("strategy", {}).get("step_days")
                   or (plan.steps[0].days if plan.steps else 0))
        if hold < 1:  # no step length to borrow: the prescriber builds the change by hand
            raise ServiceError("strategy", "the plan has no step length to keep the dose for")
        request["start_date"] = (today + timedelta(days=hold)).isoformat()
    else:
        step = plan.step_on(today)
        doses = plan.baseline if step is None or today < plan.start_date else step.doses
        request["current_doses"] = [{"time": d.time.strftime("%H:%M"), "mg": _mg(d.mg)}
                                    for d in doses if d.mg > 0] or request["current_doses"]
        request["strategy"] = dict(wanted["strategy"])
        request["start_date"] = (today + timedelta(days=1)).isoformat()
    return request


def preview_suggestion(*, decision: Decision, clinician: User, kind: str, index: int = 0,
                       today: date | None = None) -> tuple[dict[str, Any], EnginePlan]:
    """The request and the engine's plan for a suggestion, saving nothing."""
    version = _current(decision, clinician)
    patient = version.plan.patient
    day = today or local_today(patient.timezone)
    request = suggested_request(version=version, decision=decision, kind=kind, index=index,
                                today=day)
    return request, _planned(patient, request, day)


def _current(decision: Decision, clinician: User) -> PlanVersion:
    patient = decision.patient
    if clinician.role != Role.CLINICIAN or patient.clinician_id != clinician.pk:
        raise ServiceError("", "only the patient's clinician can change this plan")
    version = PlanVersion.objects.select_related("plan__patient").filter(
        plan__patient=patient, status=Status.ACTIVE).first()
    if version is None:
        raise ServiceError("", "there is no active plan to change")
    return version


@transaction.atomic
@audited("apply_suggestion", actor="clinician")
def apply_suggestion(*, decision: Decision, clinician: User, kind: str, index: int = 0,
                     today: date | None = None, note: str = "") -> PlanVersion:
    """The suggestion as a new version, approved and in force at once (one confirmation).

    The decision keeps which suggestion was applied (no other is offered after it) and counts
    as acknowledged: the clinician has acted on it (HZ-158).
    """
    version = _current(decision, clinician)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.applied_version_id is not None:
        raise ServiceError("suggestion", "a suggestion of this decision has already been applied")
    day = today or local_today(version.plan.patient.timezone)
    request = suggested_request(version=version, decision=decision, kind=kind, index=index,
                                today=day)
    new = change_plan(version=version, author=clinician, request_data=request, today=day)
    wanted = suggestion(decision, kind, index)
    approve_plan(version=new, clinician=clinician, note=note.strip() or wanted["text"])
    active = activate(version=new, actor=clinician)
    decision.applied_version, decision.applied_kind, decision.applied_option = active, kind, index
    fields = ["applied_version", "applied_kind", "applied_option"]
    if decision.acknowledged_at is None:
        decision.acknowledged_at, decision.acknowledged_by = current_time(), clinician
        fields += ["acknowledged_at", "acknowledged_by"]
    decision.save(update_fields=fields)
    return active


@transaction.atomic
@audited("extend_step", actor="clinician")
def extend_step(*, version: PlanVersion, clinician: User, days: int, reason: str,
              today: date | None = None) -> PlanVersion:
    """The prescriber extends the current step by `days` (the engine's hold), as a new version.

    A hold changes no dose, only dates, so the approval carries over; to "resume" is to let
    the extended step end (docs/web.md): nothing needs undoing.
    """
    from taper.core.monitoring.shift import hold_plan as engine_hold

    lock_patient(version.patient_id)
    version = PlanVersion.objects.select_for_update().select_related("plan__patient").get(
        pk=version.pk)
    if clinician.role != Role.CLINICIAN or version.plan.patient.clinician_id != clinician.pk:
        raise ServiceError("", "only the patient's clinician can hold this plan")
    if version.status != Status.ACTIVE:
        raise ServiceError("", "only the plan in force can be held")
    if not 1 <= days <= 90:
        raise ServiceError("days", "a whole number of days from 1 to 90")
    if not reason.strip():
        raise ServiceError("reason", "required: say why the step is extended")
    day = today or local_today(version.plan.patient.timezone)
    held, _ = engine_hold(stored_plan(version.plan_json), day, days)
    latest = version.plan.versions.order_by("-number").first()
    assert latest is not None
    version.status = Status.CHANGED  # first: one version in force at any moment
    version.save(update_fields=["status"])
    new = save_in_force(
        version, plan=version.plan, number=latest.number + 1, request=version.request,
        plan_json=plan_json(held), status=Status.ACTIVE, origin=Origin.HOLD, based_on=version,
        created_by=clinician, approved_by=version.approved_by, approved_at=version.approved_at,
        approval_note=version.approval_note)
    _event(version, "changed", clinician, f"held: replaced by version {new.number}")
    _event(new, "held", clinician, f"{days} days: {reason.strip()}")
    return new
