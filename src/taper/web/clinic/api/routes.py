"""The routes: each one a few lines over an access rule (views/access.py) and a service."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from csp.decorators import csp_update
from django.http import Http404, HttpRequest
from django.utils.timezone import now
from ninja import NinjaAPI, Status, Swagger
from ninja.params.functions import Body  # what `ninja.Body(...)` calls; typed for mypy
from ninja.parser import Parser

from taper.web.clinic import services
from taper.web.clinic.api import errors
from taper.web.clinic.api.auth import BrowserSession, PersonalToken
from taper.web.clinic.api.schemas import (
    AcknowledgedOut,
    ApproveIn,
    CheckInOut,
    DashboardOut,
    Error,
    PatientIn,
    PatientOut,
    PlanOut,
    checkin_out,
    decision_out,
    patient_out,
    plan_out,
)
from taper.web.clinic.context import absolute_url
from taper.web.clinic.models import Decision, Patient, Role, User
from taper.web.clinic.views.access import (
    authored_version,
    decision_for,
    my_patient,
    require_role,
    version_for,
)
from taper.web.clinic.views.exports import patient_or_theirs


class ExactJson(Parser):
    """JSON numbers with a fraction become Decimal, never float: doses are exact."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json.loads(request.body, parse_float=Decimal, parse_constant=_no_constant)


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON; Python's reader takes them unless told (issue 16)."""
    raise ValueError(f"{name} is not a number")


api = NinjaAPI(
    title="Taper API", version="1", urls_namespace="api",
    description="Plans and check-ins for tapering a medicine. See docs/api.md.",
    auth=[PersonalToken(), BrowserSession()], parser=ExactJson(),
    # Swagger UI from ninja's own static files (no CDN); its stylesheet draws icons as data:
    # images, which only the docs page allows. No validator badge: it would call out.
    docs=Swagger(settings={"persistAuthorization": False, "validatorUrl": None}),
    docs_decorator=csp_update({"img-src": ["data:"]}),
)
errors.install(api)
api.add_router("", "taper.web.records.api.router")  # the patient's whole record
api.add_router("", "taper.web.messaging.api.router")  # secure messages (taper.web.messaging)
api.add_router("", "taper.web.clinic.api.plans.router")  # activate, stop, change, hold, exports
api.add_router("", "taper.web.clinic.api.catalogue.router")  # the symptom catalogue
api.add_router("", "taper.web.clinic.api.me.router")  # who the caller is (issue 17)


# The engines' own documents as bodies: the engines validate them (docs/api.md, issue 2 and 3).
PLAN_REQUEST = Body(..., description="the planning request, as `taper plan` reads it")
CHECKIN = Body(..., description="one check-in, as `taper assess` reads it")


def _fails(*codes: int) -> dict[int, type[Error]]:
    return {code: Error for code in (401, 403, 429, 500, *codes)}


def _me(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@api.get("/patients", response={200: list[PatientOut], **_fails()}, url_name="patients",
         summary="The clinician's patients")
def list_patients(request: HttpRequest) -> Any:
    require_role(_me(request), Role.CLINICIAN)
    found = Patient.objects.filter(clinician=_me(request)).select_related("user", "clinician")
    return [patient_out(p) for p in found]


@api.post("/patients", response={201: PatientOut, **_fails(409, 422)}, url_name="patients",
          summary="Add a patient (the answer holds their one-time invitation link)")
def create_patient(request: HttpRequest, payload: PatientIn) -> Any:
    require_role(_me(request), Role.CLINICIAN)
    patient, token = services.create_patient(clinician=_me(request), email=payload.email,
                                             name=payload.name, timezone=payload.timezone)
    return Status(201, patient_out(patient, absolute_url(request, f"/invitation/{token}/")))


@api.post("/patients/{int:patient_id}/plans", response={201: PlanOut, **_fails(404, 409, 422)},
          url_name="patient_plans", summary="A new plan as a draft, from a planning request")
def create_plan(request: HttpRequest, patient_id: int,
                payload: dict[str, Any] = PLAN_REQUEST) -> Any:
    require_role(_me(request), Role.CLINICIAN, Role.PATIENT)
    patient = my_patient(_me(request), patient_id)
    version = services.create_plan_draft(patient=patient, author=_me(request), request_data=payload)
    return Status(201, plan_out(version_for(_me(request), version.pk)))


@api.get("/plans/{int:version_id}", response={200: PlanOut, **_fails(404)}, url_name="plan",
         summary="One plan version")
def get_plan(request: HttpRequest, version_id: int) -> Any:
    require_role(_me(request), Role.CLINICIAN, Role.PATIENT)
    return plan_out(version_for(_me(request), version_id))


@api.post("/plans/{int:version_id}/approve", response={200: PlanOut, **_fails(404, 409, 422)},
          url_name="plan_approve", summary="Approve a draft (the patient's clinician)")
def approve_plan(request: HttpRequest, version_id: int, payload: ApproveIn | None = None) -> Any:
    require_role(_me(request), Role.CLINICIAN)
    version = authored_version(_me(request), version_id)
    services.approve_plan(version=version, clinician=_me(request),
                          note="" if payload is None else payload.note)
    return plan_out(version_for(_me(request), version_id))


@api.post("/patients/{int:patient_id}/checkins", response={201: CheckInOut, **_fails(404, 409, 422)},
          url_name="patient_checkins", summary="Record a check-in; the answer holds the decision")
def create_checkin(request: HttpRequest, patient_id: int,
                   payload: dict[str, Any] = CHECKIN) -> Any:
    require_role(_me(request), Role.CLINICIAN, Role.PATIENT)
    patient = patient_or_theirs(_me(request), patient_id)
    decision = services.record_checkin(patient=patient, entered_by=_me(request), data=payload)
    checkin = decision.checkin
    return Status(201, checkin_out(checkin, decision))


@api.get("/patients/{int:patient_id}/checkins", response={200: list[CheckInOut], **_fails(404)},
         url_name="patient_checkins", summary="The patient's check-ins with each decision")
def list_checkins(request: HttpRequest, patient_id: int) -> Any:
    require_role(_me(request), Role.CLINICIAN, Role.PATIENT)
    patient = patient_or_theirs(_me(request), patient_id)
    decisions = {d.checkin_id: d for d in Decision.objects.filter(patient=patient)}
    return [checkin_out(c, decisions.get(c.pk))
            for c in patient.checkins.select_related("entered_by").order_by("date", "id")]


@api.get("/dashboard", response={200: DashboardOut, **_fails()}, url_name="dashboard",
         summary="Who needs the clinician, most urgent first")
def dashboard(request: HttpRequest) -> Any:
    require_role(_me(request), Role.CLINICIAN)
    at = now()
    return {"generated_at": at, "items": services.attention_list(_me(request), at)}


@api.post("/decisions/{int:decision_id}/acknowledge",
          response={200: AcknowledgedOut, **_fails(404, 409)}, url_name="decision_acknowledge",
          summary="The clinician has seen a flagged decision (who and when are recorded)")
def acknowledge(request: HttpRequest, decision_id: int) -> Any:
    require_role(_me(request), Role.CLINICIAN)
    decision = decision_for(_me(request), decision_id)
    if decision.patient.clinician_id != _me(request).pk:
        raise Http404  # a solo patient's decision: no clinician to acknowledge it
    decision = services.acknowledge_decision(decision=decision, clinician=_me(request))
    return {"id": decision.pk, "patient_id": decision.patient_id, "action": decision.action,
            "acknowledged_at": decision.acknowledged_at,
            "acknowledged_by": decision.acknowledged_by.email}  # type: ignore[union-attr]


__all__ = ["api", "decision_out"]
