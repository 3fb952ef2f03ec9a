"""The patient's pages: Today, marking doses, the daily check-in and its decision."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import now
from django.views.decorators.http import require_POST

from taper.core.plan import Plan, TaperStep
from taper.exports.words import mg_words
from taper.web.clinic import services
from taper.web.clinic.engine import doses_on, local_today, next_change, stored_plan
from taper.web.clinic.forms.checkin import CheckInForm
from taper.web.clinic.models import Patient, Role
from taper.web.clinic.presenters import suggestion_rows
from taper.web.clinic.services.followup import (
    monitored_version,
    monitoring_left,
    upcoming_followups,
)
from taper.web.clinic.views.access import decision_for, role_required


def _me(request: HttpRequest) -> Patient:
    return request.user.patient  # type: ignore[union-attr]


@role_required(Role.PATIENT)
def today(request: HttpRequest) -> HttpResponse:
    patient = _me(request)
    day = local_today(patient.timezone)
    version = monitored_version(patient, day)
    context = {"patient": patient, "day": day, "version": version,
               "followups": upcoming_followups(patient, day),
               "monitoring_left": None if version is None else monitoring_left(version, day)}
    if version is not None:
        plan = stored_plan(version.plan_json)
        step, doses = doses_on(plan, day)
        taken = set(patient.doses_taken.filter(date=day).values_list("time", flat=True))
        context.update(step=step, doses=[(d, d.time in taken) for d in doses],
                       daily=_daily(plan, step, day),
                       next_change=next_change(plan, day), plan=plan)
    context["latest"] = patient.decisions.select_related("checkin").first()
    context["checked_in_today"] = patient.checkins.filter(date=day).exists()
    return render(request, "clinic/today.html", context)


def _daily(plan: Plan, step: TaperStep | None, day: date) -> str | None:
    """Today's total: the step's, or before a (new) plan starts, the dose kept until then."""
    if step is not None:
        return mg_words(step.daily_mg)
    if day < plan.start_date:
        return mg_words(sum((d.mg for d in plan.baseline), Fraction(0)))
    return None


@require_POST
@role_required(Role.PATIENT)
def dose_taken(request: HttpRequest) -> HttpResponse:
    patient = _me(request)
    try:
        at = time.fromisoformat(request.POST.get("time", ""))
        services.mark_dose_taken(patient=patient, recorded_by=request.user,
                                 day=local_today(patient.timezone), at=at)
    except ValueError as exc:  # ServiceError is a ValueError, as is a malformed time
        messages.error(request, getattr(exc, "message", "That is not a dose time."))
    else:
        messages.success(request, f"{at:%H:%M} dose marked as taken.")
    return redirect("today")


@role_required(Role.PATIENT)
def checkin(request: HttpRequest) -> HttpResponse:
    from taper.knowledge.monitoring import load_monitoring

    patient = _me(request)
    day = local_today(patient.timezone)
    version = monitored_version(patient, day)
    if version is None:
        return render(request, "clinic/checkin_no_plan.html", {"patient": patient})
    rules = load_monitoring(version.plan.drug)
    due = doses_due(stored_plan(version.plan_json), patient.timezone)
    initial: dict[str, Any] = _yesterday(patient, day)
    marked = patient.doses_taken.filter(date=day).values_list("time", flat=True)
    initial["doses_taken"] = [t.strftime("%H:%M") for t in marked if t in due]
    form = CheckInForm(request.POST or None, rules=rules, initial=initial, due=due)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.record_checkin(patient=patient, entered_by=request.user,
                                               data=form.checkin_data(day), today=day)
        except services.ServiceError as exc:
            form.add_engine_error(exc.field, exc.message)
        else:
            return redirect("decision_detail", decision_id=decision.pk)
    return render(request, "clinic/checkin.html", {"form": form, "patient": patient, "day": day})


def doses_due(plan: Plan, zone: str, at: datetime | None = None) -> tuple[time, ...]:
    """Today's dose times that have come, in the patient's zone, at the moment of asking."""
    from taper.core.monitoring.checkin import scheduled_times

    moment = (at or now()).astimezone(ZoneInfo(zone))
    return tuple(t for t in scheduled_times(plan, moment.date()) if t <= moment.time())


def _yesterday(patient: Patient, day: object) -> dict[str, Any]:
    """Symptoms and stiffness from the last check-in before today: they change slowly."""
    last = patient.checkins.filter(date__lt=day).order_by("-date", "-id").first()
    if last is None or last.date < day - timedelta(days=1):  # type: ignore[operator]
        return {}
    initial = {f"symptom_{k}": str(v) for k, v in last.data.get("symptoms", {}).items()}
    if last.data.get("spasticity") is not None:
        initial["spasticity"] = str(last.data["spasticity"])
    return initial


@role_required(Role.PATIENT, Role.CLINICIAN)
def decision_detail(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = decision_for(request.user, decision_id)  # type: ignore[arg-type]
    template = "clinic/emergency.html" if decision.is_emergency else "clinic/decision.html"
    return render(request, template, {"decision": decision, "d": decision.data,
                                      "patient": decision.patient,
                                      "suggestions": suggestion_rows(decision.data)})
