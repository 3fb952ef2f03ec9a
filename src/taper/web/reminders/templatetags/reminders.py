"""Template tags that put the reminders' parts on pages of other apps (the settings page,
Today, every page's foot) without those apps reading this app's models."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat
from django.utils.timezone import now

from taper.web.clinic.engine import local_today
from taper.web.clinic.models import PlanVersion
from taper.web.reminders.forms import ReminderSettingsForm
from taper.web.reminders.refills import refill_notices
from taper.web.reminders.services import settings_for

register = template.Library()


def _patient(context: template.Context) -> Any:
    user = context.get("user")
    return getattr(user, "patient", None) if getattr(user, "role", "") == "patient" else None


@register.simple_tag(takes_context=True)
def offline_stamp(context: template.Context) -> str:
    """Now, in the patient's zone, as a patient reads it: "Fri 12 Dec, 14:05"."""
    patient = _patient(context)
    zone = ZoneInfo(patient.timezone) if patient is not None else None
    moment = now().astimezone(zone)
    return dateformat.format(moment, "D j M, H:i")


@register.simple_tag(takes_context=True)
def patient_day(context: template.Context) -> str:
    """The patient's today in their zone, for offline.js (never shown): a check-in kept
    offline is sent only on the day it was made."""
    patient = _patient(context)
    return "" if patient is None else local_today(patient.timezone).isoformat()


@register.inclusion_tag("reminders/_settings.html", takes_context=True)
def reminder_settings_form(context: template.Context) -> dict[str, Any]:
    row = settings_for(context["user"].patient)
    form = ReminderSettingsForm(initial={
        "checkin_email": "on" if row.checkin_email else "off", "checkin_time": row.checkin_time,
        "refill_email": "on" if row.refill_email else "off", "refill_days": row.refill_days})
    return {"form": form, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("reminders/_refill_notice.html", takes_context=True)
def refill_notice(context: template.Context) -> dict[str, Any]:
    """Today's notice of a new product needed soon (shown whether or not e-mails are on)."""
    patient = _patient(context)
    if patient is None:
        return {"notices": []}
    days = settings_for(patient).refill_days
    shown = context.get("version")
    return {"notices": refill_notices(patient, local_today(patient.timezone), days,
                                      shown if isinstance(shown, PlanVersion) else None)}
