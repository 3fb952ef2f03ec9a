"""The patient's reminder choices: read and changed here only (one transaction, audited)."""

from __future__ import annotations

from datetime import time

from django.db import transaction
from django.utils.timezone import now

from taper.web.clinic.audit.trail import audited
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import Patient, Role, User
from taper.web.reminders.models import ReminderSettings
from taper.web.reminders.policy import policy


def settings_for(patient: Patient) -> ReminderSettings:
    """The patient's choices; the defaults (not stored) until they first save."""
    from taper.web.clinic import lean

    # ReminderSettings.objects.filter(patient=patient).first(), written once as SQL (Today's
    # refill notice asks it on every visit; clinic/lean.py).
    rows = lean.fetch(f"SELECT {lean.columns(ReminderSettings, 'r')} FROM reminders_remindersettings r"
                      ' WHERE r."patient_id" = %s ORDER BY r."id" LIMIT 1', [patient.pk])
    found = lean.instance(ReminderSettings, rows[0]) if rows else None
    if found is None:
        return ReminderSettings(patient=patient)
    ReminderSettings._meta.get_field("patient").set_cached_value(found, patient)
    return found


def _may_set_refill_days(actor: User, patient: Patient) -> bool:
    return patient.user_id == actor.pk or (
        actor.role == Role.CLINICIAN and patient.clinician_id == actor.pk)


@transaction.atomic
@audited("set_reminder_settings", actor="actor", subject="patient")
def set_reminder_settings(*, patient: Patient, actor: User, checkin_email: bool | None = None,
                          checkin_time: time | None = None, refill_email: bool | None = None,
                          refill_days: int | None = None) -> ReminderSettings:
    """The patient turns e-mails on or off and picks the time; the refill lead time is the
    patient's or their clinician's to set, within the policy's bounds."""
    own = patient.user_id == actor.pk
    if not own and (checkin_email, checkin_time, refill_email) != (None, None, None):
        raise ServiceError("", "only the patient changes their own e-mail reminders")
    if refill_days is not None:
        if not _may_set_refill_days(actor, patient):
            raise ServiceError("", "only the patient or their clinician sets the refill reminder")
        low, high = policy().refill_days_low, policy().refill_days_high
        if isinstance(refill_days, bool) or not low <= refill_days <= high:
            raise ServiceError("refill_days", f"a whole number of days from {low} to {high}")
    if checkin_time is not None and (checkin_time.tzinfo is not None or checkin_time.second
                                     or checkin_time.microsecond):
        raise ServiceError("checkin_time", "a time of day in hours and minutes, such as 20:00")
    Patient.objects.select_for_update().filter(pk=patient.pk).first()  # one change at a time
    row = settings_for(patient)
    for name, value in (("checkin_email", checkin_email), ("checkin_time", checkin_time),
                        ("refill_email", refill_email), ("refill_days", refill_days)):
        if value is not None:
            setattr(row, name, value)
    row.updated_at = now()
    row.save()
    return row
