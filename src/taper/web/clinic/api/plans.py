"""Acting on a plan through the API: put it in force, stop it, change it, hold it, add a
follow-up, set its monitoring period, download it. Each route is the page's access rule
(views/access.py) over the page's own service (views/plans.py, views/desk.py): one rule,
one place (issue 15).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.params.functions import Body
from pydantic import AfterValidator, Field

from taper.core.limits import MAX_REASON_CHARS
from taper.exports.options import MAX_MONITORING_DAYS
from taper.web.clinic import services
from taper.web.clinic.api.schemas import Error, PlanOut, Text, plan_out
from taper.web.clinic.engine import local_today
from taper.web.clinic.models import FollowUp, Role, User
from taper.web.clinic.services import adjust
from taper.web.clinic.views.access import authored_version, require_role, version_for
from taper.web.clinic.views.exports import plan_attachment

router = Router(tags=["plans"])

# The names of taper.exports.FORMATS (a test keeps the two the same).
ExportName = Literal["pdf", "ics", "csv", "fhir", "pharmacy", "pharmacy-text"]
# The media types those formats answer with, for the OpenAPI document.
EXPORT_TYPES = {"application/pdf": "string", "text/calendar": "string", "text/csv": "string",
                "application/fhir+json": "object", "text/plain": "string"}
HOLD_DAYS = (1, 90)  # the hold form's and adjust.extend_step's bounds (policy, docs/web.md)
FOLLOWUP_NOTE_CHARS = 300  # FollowUp.note's length
PLAN_REQUEST = Body(..., description="the planning request, as `taper plan` reads it")


class StopIn(Schema):
    reason: Text(MAX_REASON_CHARS) = Field(  # type: ignore[valid-type]
        description="why the plan stops (required, not blank)")


class HoldIn(Schema):
    days: int = Field(ge=HOLD_DAYS[0], le=HOLD_DAYS[1],
                      description="days the current step is made longer")
    reason: Text(MAX_REASON_CHARS) = Field(  # type: ignore[valid-type]
        description="why the step is extended (required, not blank)")


def _local(value: dt.time | None) -> dt.time | None:
    """A follow-up's time is on the patient's clock: a time with a zone or offset is refused
    (found by Schemathesis: the database cannot store one)."""
    if value is not None and value.tzinfo is not None:
        raise ValueError("a local time such as 09:30, without a zone or offset")
    return value


class FollowUpIn(Schema):
    date: dt.date = Field(description="the appointment's day, today or later (the patient's zone)")
    time: Annotated[dt.time | None, AfterValidator(_local)] = Field(
        None, description="HH:MM on the patient's clock, no zone or offset")
    note: Text(FOLLOWUP_NOTE_CHARS) = ""  # type: ignore[valid-type]


class FollowUpOut(Schema):
    id: int
    plan_id: int
    date: dt.date
    time: dt.time | None
    note: str
    created_by: str
    created_at: dt.datetime


def _fails(*codes: int) -> dict[int, type[Error]]:
    return {code: Error for code in (401, 403, 404, 429, 500, *codes)}


def _me(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _followup_out(found: FollowUp) -> dict[str, Any]:
    return {"id": found.pk, "plan_id": found.plan_id, "date": found.date, "time": found.time,
            "note": found.note, "created_by": found.created_by.email,
            "created_at": found.created_at}


@router.post("/plans/{int:version_id}/activate", response={200: PlanOut, **_fails(409)},
             url_name="plan_activate",
             summary="Put an approved version in force (the one it replaces becomes `changed`)")
def activate(request: HttpRequest, version_id: int) -> Any:
    require_role(_me(request), Role.CLINICIAN, Role.PATIENT)
    version = authored_version(_me(request), version_id)
    services.activate(version=version, actor=_me(request))
    return plan_out(version_for(_me(request), version_id))


@router.post("/plans/{int:version_id}/stop", response={200: PlanOut, **_fails(409, 413, 422)},
             url_name="plan_stop",
             summary="Stop a plan early, or withdraw a draft, with a reason")
def stop(request: HttpRequest, version_id: int, payload: StopIn) -> Any:
    require_role(_me(request), Role.CLINICIAN, Role.PATIENT)
    version = authored_version(_me(request), version_id)
    services.stop_plan(version=version, actor=_me(request), reason=payload.reason)
    return plan_out(version_for(_me(request), version_id))


@router.post("/plans/{int:version_id}/change", response={201: PlanOut, **_fails(409, 413, 422)},
             url_name="plan_change",
             summary="A new draft version of the plan from a planning request")
def change(request: HttpRequest, version_id: int, payload: dict[str, Any] = PLAN_REQUEST) -> Any:
    require_role(_me(request), Role.CLINICIAN, Role.PATIENT)
    version = authored_version(_me(request), version_id)
    new = services.change_plan(version=version, author=_me(request), request_data=payload)
    return Status(201, plan_out(version_for(_me(request), new.pk)))


@router.post("/plans/{int:version_id}/hold", response={201: PlanOut, **_fails(409, 413, 422)},
             url_name="plan_hold",
             summary="Extend the current step (the prescriber's hold): a new version in force")
def hold(request: HttpRequest, version_id: int, payload: HoldIn) -> Any:
    require_role(_me(request), Role.CLINICIAN)
    version = authored_version(_me(request), version_id)
    new = adjust.extend_step(version=version, clinician=_me(request), days=payload.days,
                             reason=payload.reason)
    return Status(201, plan_out(version_for(_me(request), new.pk)))


@router.get("/plans/{int:version_id}/followups", response={200: list[FollowUpOut], **_fails()},
            url_name="plan_followups", summary="The plan's follow-up appointments")
def followups(request: HttpRequest, version_id: int) -> Any:
    require_role(_me(request), Role.CLINICIAN, Role.PATIENT)
    version = version_for(_me(request), version_id)
    return [_followup_out(f) for f in version.plan.followups.select_related("created_by")]


@router.post("/plans/{int:version_id}/followups",
             response={201: FollowUpOut, **_fails(409, 413, 422)}, url_name="plan_followups",
             summary="Add a follow-up appointment (the patient sees it on Today)")
def add_followup(request: HttpRequest, version_id: int, payload: FollowUpIn) -> Any:
    require_role(_me(request), Role.CLINICIAN)
    version = authored_version(_me(request), version_id)
    found = services.add_followup(plan=version.plan, clinician=_me(request), day=payload.date,
                                  at=payload.time, note=payload.note,
                                  today=local_today(version.plan.patient.timezone))
    return Status(201, _followup_out(found))


class MonitoringIn(Schema):
    days: int = Field(ge=0, le=MAX_MONITORING_DAYS,
                      description="days after the last dose that check-ins go on")


class MonitoringOut(Schema):
    plan_id: int
    monitoring_days: int


@router.post("/plans/{int:version_id}/monitoring",
             response={200: MonitoringOut, **_fails(409, 413, 422)}, url_name="plan_monitoring",
             summary="How many days after the last dose check-ins go on")
def monitoring(request: HttpRequest, version_id: int, payload: MonitoringIn) -> Any:
    require_role(_me(request), Role.CLINICIAN)
    version = authored_version(_me(request), version_id)
    plan = services.set_monitoring_days(plan=version.plan, clinician=_me(request),
                                        days=payload.days)
    return {"plan_id": plan.pk, "monitoring_days": plan.monitoring_days}


def _exported() -> dict[str, Any]:
    """The 200 answer in the OpenAPI document: a file, one media type per format."""
    content = {media: {"schema": {"type": kind} if kind == "object"
                       else {"type": kind, "format": "binary"}}
               for media, kind in EXPORT_TYPES.items()}
    return {"responses": {200: {"description": "an attachment in the format asked for",
                                "content": content}}}


@router.get("/plans/{int:version_id}/export/{fmt}", response=_fails(422),
            openapi_extra=_exported(), url_name="plan_export",
            summary="The plan version in one export format (as the plan page's downloads)")
def export(request: HttpRequest, version_id: int, fmt: ExportName) -> HttpResponse:
    require_role(_me(request), Role.CLINICIAN, Role.PATIENT)
    return plan_attachment(version_for(_me(request), version_id), fmt)
