"""A clinician's request to follow someone planning alone; the person accepts or declines."""

from __future__ import annotations

from django.db import models
from django.utils.timezone import now

from taper.web.clinic.models import Patient, User


class LinkRequest(models.Model):
    """Pending until the person answers (`accepted` None); kept afterwards as the record."""

    patient = models.ForeignKey(Patient, models.PROTECT, related_name="link_requests")
    clinician = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=now)
    decided_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["patient", "clinician"], condition=models.Q(decided_at__isnull=True),
            name="one_pending_link_request")]
