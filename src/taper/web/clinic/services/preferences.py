"""What a patient or a clinician sets for the patient's pages: the clinic to call, the
temperature unit, and "I have seen the change to my plan"."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction

from taper.web.clinic.audit.trail import audited
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import Patient, PlanVersion, Role, User

# A number a phone can dial: digits, spaces, and + ( ) - . ; 3 to 20 digits (HZ-188).
PHONE = re.compile(r"\+?[0-9 ()\-.]{3,31}")


def dial_string(phone: str) -> str:
    """The number for a tel: link: the leading + and the digits only."""
    return ("+" if phone.strip().startswith("+") else "") + re.sub(r"\D", "", phone)


@transaction.atomic
@audited("set_clinic_contact", actor="clinician")
def set_clinic_contact(*, clinician: User, name: str, phone: str, hours: str) -> User:
    """The clinic's name, phone and hours, shown to the clinician's patients."""
    if clinician.role != Role.CLINICIAN:
        raise ServiceError("", "only a clinician sets a clinic's contact")
    name, phone, hours = name.strip(), phone.strip(), hours.strip()
    digits = len(re.sub(r"\D", "", phone))
    if phone and (not PHONE.fullmatch(phone) or not 3 <= digits <= 20):
        raise ServiceError("phone", "a phone number of 3 to 20 digits, such as +44 20 7946 0000")
    for field, value, most in (("name", name, 120), ("hours", hours, 120)):
        if len(value) > most:
            raise ServiceError(field, f"at most {most} characters")
    if phone and not name:
        raise ServiceError("name", "the clinic's name is needed with its phone number")
    clinician.clinic_name, clinician.clinic_phone, clinician.clinic_hours = name, phone, hours
    clinician.save(update_fields=["clinic_name", "clinic_phone", "clinic_hours"])
    return clinician


@transaction.atomic
@audited("set_patient_preferences", actor="actor")
def set_patient_preferences(*, patient: Patient, actor: User, temperature_unit: str | None = None,
                            dose_alarms: bool | None = None,
                            language: str | None = None) -> Patient:
    """The patient's own choices: the check-in's temperature unit, reminders in the feed,
    the language of their pages ("" follows the browser)."""
    if patient.user_id != actor.pk:
        raise ServiceError("", "only the patient changes their own settings")
    if temperature_unit is not None:
        if temperature_unit not in ("C", "F"):
            raise ServiceError("temperature_unit", "must be C (Celsius) or F (Fahrenheit)")
        patient.temperature_unit = temperature_unit
    if dose_alarms is not None:
        patient.dose_alarms = dose_alarms
    if language is not None:
        if language not in ("", *(code for code, _ in settings.LANGUAGES)):
            raise ServiceError("language", "must be one of: "
                               + ", ".join(code for code, _ in settings.LANGUAGES)
                               + ", or empty for the browser's")
        patient.language = language
    patient.save(update_fields=["temperature_unit", "dose_alarms", "language"])
    return patient


@transaction.atomic
@audited("mark_plan_seen", actor="actor")
def mark_plan_seen(*, patient: Patient, actor: User, version: PlanVersion) -> Patient:
    """The patient has read "Your plan changed ..." for this version: it is not shown again."""
    if patient.user_id != actor.pk:
        raise ServiceError("", "only the patient can say they have seen their plan")
    if version.plan.patient_id != patient.pk:
        raise ServiceError("version", "not a plan of this patient")
    patient.seen_version = version
    patient.save(update_fields=["seen_version"])
    return patient
