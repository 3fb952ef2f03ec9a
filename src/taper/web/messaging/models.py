"""Secure messages between a patient and their clinic: one thread per patient.

Plain text only, bounded (MAX_LENGTH), no attachments; kept with the record and purged
with it (records/retention.py). Who wrote and who read, and when, are on the row and in
the audit trail.
"""

from __future__ import annotations

from django.db import models
from django.utils.timezone import now

from taper.web.clinic.models import Patient, User

MAX_LENGTH = 2000  # characters; policy: a message, not a letter (docs/web.md "Messages")


class Message(models.Model):
    patient = models.ForeignKey(Patient, models.PROTECT, related_name="messages")
    author = models.ForeignKey(User, models.PROTECT, related_name="+")
    # Written by the clinic (the patient's clinician) or by the patient's side (the patient,
    # or a carer the patient allowed); unread counts are per side.
    from_clinic = models.BooleanField()
    body = models.TextField(max_length=MAX_LENGTH)
    created_at = models.DateTimeField(default=now)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["patient", "created_at"], name="message_thread"),
            # The unread counts (desk, navigation): a few unread rows in a long history.
            models.Index(fields=["patient", "from_clinic"], name="message_unread",
                         condition=models.Q(read_at__isnull=True)),
        ]
