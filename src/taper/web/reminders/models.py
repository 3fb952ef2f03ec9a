"""Reminders: the patient's choices (one row per patient) and the sent-reminder claims.

A `Reminder` row is inserted *before* its e-mail is sent; its unique (patient, kind, day)
is the claim, so two senders (cron on two machines, or a run that overlaps the last one)
never both send it (HZ-031).
"""

from __future__ import annotations

from datetime import time

from django.db import models
from django.utils.timezone import now

from taper.web.clinic.models import Patient
from taper.web.reminders.policy import policy


def _default_time() -> time:
    return policy().checkin_time


def _default_refill_days() -> int:
    return policy().refill_days


class ReminderSettings(models.Model):
    """What the patient (or, for the refill lead time, their clinician) chose."""

    patient = models.OneToOneField(Patient, models.CASCADE, related_name="reminder_settings")
    # Off until the patient turns it on: an e-mail is a choice, not a default.
    checkin_email = models.BooleanField(default=False)
    checkin_time = models.TimeField(default=_default_time)  # wall-clock, in the patient's zone
    # On by default: running out of a new strength is the harm (the diarist's 10 mg and 5 mg).
    refill_email = models.BooleanField(default=True)
    refill_days = models.PositiveSmallIntegerField(default=_default_refill_days)
    updated_at = models.DateTimeField(default=now)


class ReminderKind(models.TextChoices):
    CHECKIN = "checkin", "check-in not done"
    REFILL = "refill", "a product first needed soon"


class Reminder(models.Model):
    """One reminder e-mail: claimed (the row exists), then sent (`sent_at`)."""

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    # The day it is about: the patient's local day (check-in) or the day a product is first
    # needed (refill).
    day = models.DateField()
    claimed_at = models.DateTimeField(default=now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["patient", "kind", "day"],
                                               name="one_reminder_per_patient_kind_day")]
        ordering = ["-claimed_at", "-id"]
