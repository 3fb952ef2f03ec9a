"""The daily check-in in two screens: the red flags (a yes goes straight to the emergency
message), then "Any new or worse symptoms?" with the doses; details only after a yes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext

from taper.core.plan import Plan
from taper.web.clinic import services
from taper.web.clinic.engine import local_today
from taper.web.clinic.forms.checkin import FIRST_ANSWER, CheckInForm
from taper.web.clinic.lean import plan_of
from taper.web.clinic.models import Patient, Role
from taper.web.clinic.services.doses import taken_times
from taper.web.clinic.services.followup import monitored_version
from taper.web.clinic.views.access import AuthedRequest, role_required
from taper.web.clinic.wording import day_words, page_language


def doses_due(plan: Plan, zone: str, at: datetime | None = None) -> tuple[time, ...]:
    """Today's dose times that have come, in the patient's zone, at the moment of asking."""
    from taper.core.monitoring.checkin import scheduled_times

    moment = (at or now()).astimezone(ZoneInfo(zone))
    return tuple(t for t in scheduled_times(plan, moment.date()) if t <= moment.time())


def last_readings(patient: Patient, day: date) -> tuple[dict[str, Any], str]:
    """The latest check-in's symptoms and stiffness (they change slowly), and the words of
    "since ..." for the question that asks what is new or worse."""
    last = patient.checkins.filter(date__lte=day).order_by("-date", "-id").first()
    if last is None:
        return {}, gettext("today")
    carried: dict[str, Any] = {"symptoms": dict(last.data.get("symptoms", {}))}
    if last.data.get("spasticity") is not None:
        carried["spasticity"] = last.data["spasticity"]
    if last.date == day:
        return carried, gettext("since you last checked in today")
    if last.date == day - timedelta(days=1):
        return carried, gettext("since yesterday")
    return carried, gettext("since your last check-in on %(day)s") % {"day": day_words(last.date)}


def _me(request: AuthedRequest) -> Patient:
    """The patient, or the patient a carer helps: `entered_by` says who it was."""
    from taper.web.carers.acting import acting_patient

    return acting_patient(request)


@role_required(Role.PATIENT, Role.CARER)
def checkin(request: AuthedRequest) -> HttpResponse:
    from taper.knowledge.checkin import load_checkin_questions
    from taper.knowledge.monitoring import load_monitoring

    patient = _me(request)
    day = local_today(patient.timezone)
    version = monitored_version(patient, day)
    if version is None:
        return render(request, "clinic/checkin_no_plan.html", {"patient": patient})
    # The questions in the page's language; the answers are the same ids and numbers.
    lang = page_language()
    rules = load_monitoring(version.plan.drug, lang)
    questions = load_checkin_questions(version.plan.drug, lang)
    carried, since = last_readings(patient, day)
    flag = request.POST.get("red_flag")
    if request.method == "POST" and flag is not None and flag != "none":
        question = questions.red_flag(flag)
        if question is None:
            return _first_screen(request, patient, questions, str(FIRST_ANSWER), status=400)
        symptoms = {**carried.get("symptoms", {})}
        for symptom, severity in question.means.items():
            symptoms[symptom] = max(severity, int(symptoms.get(symptom, 0)))
        decision = services.record_checkin(patient=patient, entered_by=request.user, today=day,
                                           data={"date": day.isoformat(), "symptoms": symptoms})
        return redirect("decision_detail", decision_id=decision.pk)
    if flag == "none":
        return redirect(reverse("checkin") + "?flags=none")
    if request.method != "POST" and request.GET.get("flags") != "none":
        return _first_screen(request, patient, questions)
    if request.method == "POST" and request.POST.get("red_flags") != "none":
        return _first_screen(request, patient, questions, str(FIRST_ANSWER), status=400)

    due = doses_due(plan_of(version), patient.timezone, now())
    taken = {t.strftime("%H:%M") for t in taken_times(patient, day) if t in due}
    initial: dict[str, Any] = {"red_flags": "none", "doses_taken": sorted(taken)}
    if due and len(taken) == len(due):
        initial["doses_all"] = "yes"
    initial.update({f"symptom_{k}": str(v) for k, v in carried.get("symptoms", {}).items()})
    form = CheckInForm(request.POST or None, rules=rules, questions=questions, due=due,
                       unit=patient.temperature_unit, since=since, carried=carried,
                       initial=initial)
    show_details = show_doses = False
    if request.method == "POST" and form.is_valid():
        if not form.needs_details():
            try:
                decision = services.record_checkin(patient=patient, entered_by=request.user,
                                                   data=form.checkin_data(day), today=day,
                                                   moment=now())
            except services.ServiceError as exc:
                form.add_engine_error(exc.field, exc.message)
            else:
                return redirect("decision_detail", decision_id=decision.pk)
        show_details = form.cleaned_data.get("new_or_worse") == "yes"
        show_doses = form.cleaned_data.get("doses_all") == "no"
    elif request.method == "POST":
        show_details = request.POST.get("new_or_worse") == "yes"
        show_doses = request.POST.get("doses_all") == "no"
    else:
        show_doses = bool(due) and initial.get("doses_all") != "yes" and bool(taken)
    return render(request, "clinic/checkin.html", {
        "form": form, "patient": patient, "day": day, "show_details": show_details,
        "show_doses": show_doses}, status=400 if form.errors else 200)


def _first_screen(request: HttpRequest, patient: Patient, questions: Any, error: str = "",
                  status: int = 200) -> HttpResponse:
    return render(request, "clinic/checkin_flags.html", {
        "patient": patient, "questions": questions, "error": error}, status=status)
