"""The clinician's pages: their patients, a new patient, one patient's record."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import render

from taper.web.carers.services import carer_names
from taper.web.clinic import services
from taper.web.clinic.chart import chart
from taper.web.clinic.context import absolute_url
from taper.web.clinic.engine import local_today, stored_plan
from taper.web.clinic.forms.people import PatientForm
from taper.web.clinic.models import Decision, Patient, PlanVersion, Role, Status
from taper.web.clinic.presenters import suggestion_rows
from taper.web.clinic.services.desk import needs_attention, unacknowledged_of
from taper.web.clinic.views.access import AuthedRequest, my_patient, role_required
from taper.web.clinic.views.decision import note_words


@role_required(Role.CLINICIAN)
def patient_list(request: AuthedRequest) -> HttpResponse:
    latest = Decision.objects.filter(patient=OuterRef("pk")).order_by("-created_at", "-id")
    patients = request.user.patients.annotate(
        last_action=Subquery(latest.values("action")[:1]),
        last_flag=Subquery(latest.values("flagged_for_clinician")[:1]),
        last_date=Subquery(latest.values("today")[:1]),
        needs_attention=needs_attention(OuterRef("pk")))
    return render(request, "clinic/patient_list.html", {"patients": patients})


@role_required(Role.CLINICIAN)
def patient_new(request: AuthedRequest) -> HttpResponse:
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patient, token = services.create_patient(clinician=request.user, **form.cleaned_data)
        except services.ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            link = absolute_url(request, f"/invitation/{token}/")
            # Shown once: only the token's hash is stored, so it cannot be shown again.
            return render(request, "clinic/patient_created.html", {"patient": patient, "link": link})
    return render(request, "clinic/patient_new.html", {"form": form})


@role_required(Role.CLINICIAN, Role.PATIENT)
def patient_detail(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = my_patient(request.user, patient_id)
    plans = patient.plans.prefetch_related("versions__approved_by")
    decisions = list(patient.decisions.select_related("checkin", "version", "held_version")[:30])
    rows = [(d, _note(d)) for d in decisions]
    checkins = patient.checkins.order_by("-date", "-id")[:30]
    # The clinician: the newest flagged decision not yet acknowledged ("Needs your attention"
    # until then, as on the desk and the list). Someone planning alone: their latest, if flagged.
    if request.user.role == Role.CLINICIAN:
        pending = unacknowledged_of(patient).select_related("acknowledged_by").first()
    else:
        pending = decisions[0] if decisions and decisions[0].flagged_for_clinician else None
    return render(request, "clinic/patient_detail.html", {
        "patient": patient, "plans": plans, "decisions": decisions, "checkins": checkins,
        "today": local_today(patient.timezone), "pending": pending, "decision_rows": rows,
        "pending_note": _note(pending) if pending else "",
        "flag_suggestions": suggestion_rows(pending.data) if pending else [],
        "carers": carer_names(patient),
        "chart": _chart(patient)})


def _note(decision: Decision) -> str:
    return note_words(str((decision.data.get("clinician") or {}).get("note", "")))


def _chart(patient: Patient) -> dict[str, Any] | None:
    """The chart of the plan in force (else the newest version) with every check-in."""
    version = (PlanVersion.objects.filter(plan__patient=patient, status=Status.ACTIVE).first()
               or PlanVersion.objects.filter(plan__patient=patient)
               .exclude(status__in=[Status.DRAFT, Status.WITHDRAWN]).order_by("-created_at", "-id").first())
    if version is None:
        return None
    return chart(stored_plan(version.plan_json), patient.checkins.all())
