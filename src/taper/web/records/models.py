"""Legal hold and the log of purges. Both are small: the record itself is the clinic's."""

from __future__ import annotations

from django.db import models
from django.utils.timezone import now

from taper.web.clinic.models import Patient, User


class LegalHold(models.Model):
    """A patient's record must be kept whatever the retention period says.

    The row exists while the hold is on; lifting it deletes the row (the audit trail keeps
    who set and lifted it, and when). It protects the patient row (PROTECT): even a purge
    that skipped the check could not delete a held record.
    """

    patient = models.OneToOneField(Patient, models.PROTECT, related_name="legal_hold")
    set_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    set_at = models.DateTimeField(default=now)
    reason = models.CharField(max_length=200, blank=True)


class PurgeRun(models.Model):
    """One `taper purge`: how many rows of each kind went, never what they said.

    `patient_ids` are the purged patients' old ids, so their rows in the audit trail can be
    told apart from a living patient's; no name, e-mail or health data is kept.
    """

    at = models.DateTimeField(default=now)
    retention_days = models.PositiveIntegerField()
    patient_ids = models.JSONField(default=list)
    counts = models.JSONField(default=dict)  # table label -> rows deleted

    class Meta:
        ordering = ["-at", "-id"]
