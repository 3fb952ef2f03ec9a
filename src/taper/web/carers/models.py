"""A carer's link to a patient: made by the patient's invitation, ended by the patient.

Links are never deleted while the record lives (who helped, and when, is part of it): a
revoked link keeps its row with who ended it. Only the invitation token's SHA-256 is kept.
"""

from __future__ import annotations

from django.db import models
from django.utils.timezone import now

from taper.web.clinic.models import Patient, User


class CarerLink(models.Model):
    """One carer for one patient. Live once accepted and until revoked."""

    patient = models.ForeignKey(Patient, models.PROTECT, related_name="carer_links")
    carer = models.ForeignKey(User, models.PROTECT, related_name="carer_links")
    # The name the patient gave: "entered by <name>" on the history and the clinician's page.
    name = models.CharField(max_length=100)
    # Reading and writing the patient's messages to the clinic: only if the patient allows.
    may_message = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_at = models.DateTimeField(default=now)
    invited_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-invited_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["patient", "carer"], condition=models.Q(revoked_at__isnull=True),
            name="one_open_link_per_carer_and_patient")]

    @property
    def is_live(self) -> bool:
        return self.accepted_at is not None and self.revoked_at is None

    def __str__(self) -> str:
        return self.name
