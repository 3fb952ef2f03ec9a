"""The reminders' pages: the patient's reminder choices, the web app manifest, the service
worker and the pages kept for offline use (docs/web.md "Installable and offline")."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from taper.web.clinic.models import Role
from taper.web.clinic.views.access import AuthedRequest, my_patient, role_required
from taper.web.clinic.views.patient import contact_of
from taper.web.reminders import services
from taper.web.reminders.forms import RefillDaysForm, ReminderSettingsForm

THEME_COLOUR = "#0b4f8a"  # --accent in app.css
_STATIC = Path(__file__).parent / "static" / "reminders"


@require_POST
@role_required(Role.PATIENT)
def reminder_settings(request: AuthedRequest) -> HttpResponse:
    patient = request.user.patient
    form = ReminderSettingsForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
        return redirect("patient_preferences")
    data = form.cleaned_data
    services.set_reminder_settings(
        patient=patient, actor=request.user, checkin_email=data["checkin_email"] == "on",
        checkin_time=data["checkin_time"], refill_email=data["refill_email"] == "on",
        refill_days=data["refill_days"])
    messages.success(request, _("Saved."))
    return redirect("patient_preferences")


@role_required(Role.CLINICIAN)
def patient_reminders(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """The clinician sets how many days ahead their patient is told of a new strength."""
    patient = my_patient(request.user, patient_id)
    form = RefillDaysForm(request.POST if request.method == "POST" else None,
                          initial={"refill_days": services.settings_for(patient).refill_days})
    if request.method == "POST" and form.is_valid():
        services.set_reminder_settings(patient=patient, actor=request.user,
                                       refill_days=form.cleaned_data["refill_days"])
        messages.success(request, _("Saved."))
        return redirect("patient_reminders", patient_id=patient.pk)
    return render(request, "reminders/patient_reminders.html", {"patient": patient, "form": form},
                  status=400 if form.errors else 200)


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: installable, opening on Today (no personal data: public)."""
    icons = [{"src": static(f"reminders/icon-{size}.png"), "sizes": f"{size}x{size}",
              "type": "image/png", "purpose": purpose}
             for size in (192, 512) for purpose in ("any", "maskable")]
    body = {"name": "Taper", "short_name": "Taper", "start_url": "/today/", "scope": "/",
            "display": "standalone", "background_color": "#ffffff",
            "theme_color": THEME_COLOUR, "icons": icons,
            "description": _("Your dose reduction plan, day by day.")}
    return HttpResponse(json.dumps(body, indent=1), content_type="application/manifest+json")


@cache
def _worker_source() -> bytes:
    return (_STATIC / "sw.js").read_bytes()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the root so that its scope is the whole site."""
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # a new version is picked up at the next visit
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page not kept on the phone: no personal data."""
    return render(request, "reminders/offline.html", {
        "emergency_number": settings.TAPER_EMERGENCY_NUMBER})


@require_GET
@role_required(Role.PATIENT)
def offline_emergency(request: AuthedRequest) -> HttpResponse:
    """The emergency message, kept on the phone so a red flag answered offline still shows it."""
    patient = request.user.patient
    return render(request, "reminders/offline_emergency.html", {
        "patient": patient, "clinic": contact_of(patient),
        "emergency_number": settings.TAPER_EMERGENCY_NUMBER})
