"""The patient's pages: Today, marking doses, the check-in history and the decision."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import now
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from taper.web.clinic import services
from taper.web.clinic.engine import local_today
from taper.web.clinic.models import Decision, DoseMark, Patient, PlanVersion, Role, User
from taper.web.clinic.presenters import patient_basis, patient_words, suggestion_rows
from taper.web.clinic.services.followup import monitoring_left, upcoming_followups
from taper.web.clinic.today import TodayView, today_for
from taper.web.clinic.views.access import AuthedRequest, decision_for, role_required
from taper.web.clinic.views.checkin import checkin as checkin  # re-exported: the URLs' names
from taper.web.clinic.views.checkin import doses_due as doses_due
from taper.web.clinic.wording import clock_words

MARK_WORDS = {DoseMark.TAKEN: gettext_lazy("%(at)s dose: marked as taken."),
              DoseMark.LATE: gettext_lazy("%(at)s dose: marked as taken late."),
              DoseMark.SKIPPED: gettext_lazy("%(at)s dose: marked as skipped."),
              "undo": gettext_lazy("%(at)s dose: mark taken back.")}


def _me(request: AuthedRequest) -> Patient:
    """The patient, or the patient a carer helps (a live link, asked each request)."""
    from taper.web.carers.acting import acting_patient

    return acting_patient(request)


@role_required(Role.PATIENT, Role.CARER)
def today(request: AuthedRequest) -> HttpResponse:
    patient = _me(request)
    day = local_today(patient.timezone)
    view = today_for(patient, day, now())
    page = view.page
    assert page is not None
    if patient.clinician_id is not None:  # read with the page: kept as the ORM keeps it
        Patient._meta.get_field("clinician").set_cached_value(patient, page.clinician)
    context = {"patient": patient, "day": day, "t": view, "version": view.version,
               "followups": upcoming_followups(patient, day),
               "monitoring_left": None if view.version is None else monitoring_left(view.version, day),
               "checked_in_today": view.checked_in if view.version is not None
               else patient.checkins.filter(date=day).exists(),
               "clinic": contact_of(patient), "notices": _refill_notices(request, view)}
    if request.user.role == Role.PATIENT:  # the nav's count, read with the page
        unread = 0 if patient.clinician_id is None else page.unread
        context["unread_messages"] = lambda: unread
    return render(request, "clinic/today.html", context)


def _refill_notices(request: AuthedRequest, view: TodayView) -> list[Any]:
    """The reminders' notice of a new product needed soon (the patient's own page only), from
    the plan Today already holds and the reminder days read with the page."""
    from taper.web.reminders.models import ReminderSettings
    from taper.web.reminders.refills import notices_in

    if request.user.role != Role.PATIENT or view.plan is None or view.page is None:
        return []
    days = view.page.refill_days
    if days is None:  # not stored: the default, as reminders.services.settings_for gives it
        days = ReminderSettings._meta.get_field("refill_days").get_default()
    return list(notices_in(view.plan, view.day, days))


def _clinician_of(patient: Patient) -> User | None:
    """`patient.clinician`, read by SQL written once (clinic/lean.py) and kept on the patient
    as the ORM would keep it."""
    from taper.web.clinic import lean

    field = Patient._meta.get_field("clinician")
    if patient.clinician_id is None or field.is_cached(patient):
        return patient.clinician
    rows = lean.fetch(f"SELECT {lean.columns(User, 'u')} FROM clinic_user u WHERE u.\"id\" = %s",
                      [patient.clinician_id])
    doctor = lean.instance(User, rows[0]) if rows else None
    field.set_cached_value(patient, doctor)
    return doctor


def contact_of(patient: Patient) -> dict[str, str] | None:
    """The clinic to call (name, phone, dial string, hours), when the clinician has set one."""
    from taper.web.clinic.services.preferences import dial_string

    doctor = _clinician_of(patient)
    if doctor is None or not doctor.clinic_phone:
        return None
    return {"name": doctor.clinic_name, "phone": doctor.clinic_phone,
            "dial": dial_string(doctor.clinic_phone), "hours": doctor.clinic_hours}


@require_POST
@role_required(Role.PATIENT, Role.CARER)
def dose_taken(request: AuthedRequest) -> HttpResponse:
    patient = _me(request)
    mark = request.POST.get("mark", DoseMark.TAKEN)
    try:
        at = time.fromisoformat(request.POST.get("time", ""))
        if mark == "undo":
            services.undo_dose_mark(patient=patient, recorded_by=request.user,
                                    day=local_today(patient.timezone), at=at, moment=now())
        else:
            services.mark_dose(patient=patient, recorded_by=request.user, mark=mark,
                               day=local_today(patient.timezone), at=at, moment=now())
    except ValueError as exc:  # ServiceError is a ValueError, as is a malformed time
        messages.error(request, _sentence(getattr(exc, "message", gettext("That is not a dose time."))))
    else:
        words = MARK_WORDS["undo" if mark == "undo" else DoseMark(mark)]
        messages.success(request, str(words) % {"at": clock_words(at)})
    return redirect("today")


def _noticed(message: str) -> str:
    """What the patient reported, from the emergency message's last clause, so the page
    shows each instruction once; "" when the words differ (the message is shown whole)."""
    for marker in ("what you noticed: ", "lo que notó: "):  # the emergency message's last clause
        _, found, tail = message.partition(marker)
        if found:
            break
    return tail.rstrip(".") if found and "." not in tail.rstrip(".") else ""


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


@require_POST
@role_required(Role.PATIENT)
def plan_seen(request: AuthedRequest, version_id: int) -> HttpResponse:
    patient = _me(request)
    version = PlanVersion.objects.filter(pk=version_id, plan__patient=patient).first()
    if version is None:
        return render(request, "404.html", status=404)
    services.mark_plan_seen(patient=patient, actor=request.user, version=version)
    return redirect("today")


@role_required(Role.PATIENT)
def history(request: AuthedRequest) -> HttpResponse:
    """The patient's own check-ins, day by day, with what each decision said."""
    from taper.web.carers.services import carer_names

    patient = _me(request)
    rows = (patient.checkins.select_related("decision").order_by("-date", "-id")[:120])
    return render(request, "clinic/history.html", {"patient": patient, "rows": rows,
                                                   "carers": carer_names(patient)})


@role_required(Role.PATIENT, Role.CLINICIAN, Role.CARER)
def decision_detail(request: AuthedRequest, decision_id: int) -> HttpResponse:
    if request.user.role == Role.CARER:  # what their check-in said, for the patient they help
        found = Decision.objects.filter(pk=decision_id, patient=_me(request)).first()
        if found is None:
            raise Http404
        decision = found
    else:
        decision = decision_for(request.user, decision_id)
    if request.user.role == Role.CLINICIAN:
        from taper.web.clinic.views.decision import clinician_decision

        return clinician_decision(request, decision)
    template = "clinic/emergency.html" if decision.is_emergency else "clinic/decision.html"
    words = patient_words(decision.data) if request.user.role in (Role.PATIENT, Role.CARER) else {
        "message": decision.data.get("message", ""), "why": patient_basis(decision.data)}
    return render(request, template, {
        "decision": decision, "d": decision.data, "patient": decision.patient,
        "message": words["message"],
        "suggestions": suggestion_rows(decision.data), "why": words["why"],
        "clinic": contact_of(decision.patient),
        "last_reduction": _date(decision.data.get("last_reduction")),
        "noticed": _noticed(str(words["message"])),
        "emergency_number": settings.TAPER_EMERGENCY_NUMBER})
