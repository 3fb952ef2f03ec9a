"""The plan builder (with its preview), the plan page, approval, start, change and stop."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from taper.core.limits import MAX_ID_CHARS
from taper.web.clinic import services
from taper.web.clinic.engine import local_today, stored_plan
from taper.web.clinic.exports import download_links
from taper.web.clinic.forms.people import ApproveForm, StopForm
from taper.web.clinic.forms.plan_builder import PlanBuilderForm, initial_from_request
from taper.web.clinic.models import Patient, PlanVersion, Role, Status
from taper.web.clinic.presenters import (
    baseline_words,
    dose_times,
    step_rows,
    supply_rows,
)
from taper.web.clinic.services.followup import upcoming_followups
from taper.web.clinic.views.access import (
    AuthedRequest,
    authored_version,
    my_patient,
    role_required,
    version_for,
)


def _builder(request: HttpRequest, patient: Patient, initial: dict[str, Any]) -> PlanBuilderForm:
    from taper.knowledge import load_drug
    from taper.knowledge.monitoring import monitored_drugs

    drugs = monitored_drugs()  # a plan the web can watch needs the drug's monitoring rules
    drug = request.POST.get("drug") or initial.get("drug") or drugs[0]
    catalogue = [(p.id, p.label or p.id) for p in load_drug(drug if drug in drugs else drugs[0]).catalogue]
    data: QueryDict | None = request.POST or None
    if data is not None and "add_product" in data:
        # The one-click fix of a grouped warning (works without JS): the product joins the
        # catalogue ticks and the form previews again; an unknown id is the field's own error.
        data = data.copy()
        chosen = data.getlist("catalogue")
        added = str(data.get("add_product", ""))[:MAX_ID_CHARS]
        data.setlist("catalogue", chosen if added in chosen else [*chosen, added])
        data["action"] = "preview"
    initial.setdefault("timezone", settings.TAPER_DEFAULT_TIME_ZONE)
    return PlanBuilderForm(data, initial=initial, drugs=drugs, catalogue=catalogue,
                           clinic_timezone=settings.TAPER_DEFAULT_TIME_ZONE)


def _plan_context(plan: Any, today: Any = None) -> dict[str, Any]:
    return {"engine_plan": plan, "steps": step_rows(plan, today), "times": dose_times(plan),
            "supply": supply_rows(plan), "baseline": baseline_words(plan)}


def _build(request: AuthedRequest, patient: Patient, form: PlanBuilderForm,
           version: PlanVersion | None) -> HttpResponse:
    """Preview or save; any engine error goes next to its field and everything stays filled."""
    preview = None
    fix: dict[str, str] | None = None
    if request.method == "POST" and form.is_valid():
        data = form.request_data()
        try:
            if form.data.get("action") == "save":
                if version is None:
                    saved = services.create_plan_draft(patient=patient, author=request.user,
                                                       request_data=data)
                else:
                    saved = services.change_plan(version=version, author=request.user,
                                                 request_data=data)
                messages.success(request, f"Saved as a draft (version {saved.number}).")
                return redirect("plan_detail", version_id=saved.pk)
            preview = _plan_context(services.preview_plan(patient=patient, request_data=data))
        except services.ServiceError as exc:
            form.add_engine_error(exc.field, exc.message)
            if exc.product:
                fix = {"id": exc.product, "words": form.catalogue_words(exc.product)}
    template = "clinic/_preview.html" if request.headers.get("X-Preview") else "clinic/plan_builder.html"
    return render(request, template, {"form": form, "patient": patient, "preview": preview,
                                      "fix": fix, "version": version}, status=200)


@role_required(Role.CLINICIAN, Role.PATIENT)
def plan_new(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = my_patient(request.user, patient_id)
    today = local_today(patient.timezone)
    initial = {"start_date": today.isoformat(), "strategy_kind": "fixed_mg"}
    if patient.timezone:  # else the clinic's default (TAPER_DEFAULT_TIME_ZONE)
        initial["timezone"] = patient.timezone
    form = _builder(request, patient, initial)
    return _build(request, patient, form, None)


@role_required(Role.CLINICIAN, Role.PATIENT)
def plan_change(request: AuthedRequest, version_id: int) -> HttpResponse:
    version = authored_version(request.user, version_id)
    form = _builder(request, version.plan.patient, initial_from_request(version.request))
    return _build(request, version.plan.patient, form, version)


@role_required(Role.CLINICIAN, Role.PATIENT)
def plan_detail(request: AuthedRequest, version_id: int) -> HttpResponse:
    version = version_for(request.user, version_id)
    patient = version.plan.patient
    plan = stored_plan(version.plan_json)
    others = version.plan.versions.exclude(pk=version.pk).order_by("number")
    if request.user.role == Role.PATIENT and not patient.is_solo:
        others = others.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
    return render(request, "clinic/plan_detail.html", {
        "version": version, "patient": patient, "others": others,
        "events": version.plan.events.select_related("actor", "version"),
        "may_author": services.plans.may_author(request.user, patient),
        "finished": plan.stop_date is not None and local_today(patient.timezone) >= plan.stop_date,
        "downloads": download_links(version),
        "followups": upcoming_followups(patient, local_today(patient.timezone)),
        **_plan_context(plan, local_today(patient.timezone))})


@role_required(Role.CLINICIAN)
def plan_approve(request: AuthedRequest, version_id: int) -> HttpResponse:
    version = authored_version(request.user, version_id)
    form = ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_plan(version=version, clinician=request.user,
                                  note=form.cleaned_data["note"])
        except services.ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Version {version.number} approved.")
            return redirect("plan_detail", version_id=version.pk)
    return render(request, "clinic/plan_approve.html", {"version": version, "form": form})


@require_POST
@role_required(Role.CLINICIAN, Role.PATIENT)
def plan_activate(request: AuthedRequest, version_id: int) -> HttpResponse:
    version = authored_version(request.user, version_id)
    try:
        services.activate(version=version, actor=request.user)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Version {version.number} is now the plan in force.")
    return redirect("plan_detail", version_id=version.pk)


@require_POST
@role_required(Role.CLINICIAN, Role.PATIENT)
def plan_complete(request: AuthedRequest, version_id: int) -> HttpResponse:
    version = authored_version(request.user, version_id)
    try:
        services.complete_plan(version=version, actor=request.user)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The plan is marked completed.")
    return redirect("plan_detail", version_id=version.pk)


@role_required(Role.CLINICIAN, Role.PATIENT)
def plan_stop(request: AuthedRequest, version_id: int) -> HttpResponse:
    version = authored_version(request.user, version_id)
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stop_plan(version=version, actor=request.user,
                               reason=form.cleaned_data["reason"])
        except services.ServiceError as exc:
            form.add_error("reason" if exc.field == "reason" else None, exc.message)
        else:
            messages.success(request, f"Version {version.number} stopped.")
            return redirect("plan_detail", version_id=version.pk)
    return render(request, "clinic/plan_stop.html", {"version": version, "form": form})
