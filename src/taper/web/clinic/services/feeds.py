"""Private calendar feeds: a random URL per patient that a calendar application polls.

The URL is a capability (whoever holds it reads the calendar, no login), so its token is
random (256 bits), only its SHA-256 is stored, and it can be revoked; a new one replaces
the old. The patient and their clinician manage it.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils.timezone import now

from taper.web.clinic.audit.trail import audited
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import CalendarFeed, Patient, Role, User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def may_manage_feed(user: User, patient: Patient) -> bool:
    """The patient themself, or their own clinician."""
    return patient.user_id == user.pk or (
        user.role == Role.CLINICIAN and patient.clinician_id == user.pk)


def live_feed(patient: Patient) -> CalendarFeed | None:
    return patient.calendar_feeds.filter(revoked_at__isnull=True).first()


def _revoke(patient: Patient, actor: User) -> int:
    return patient.calendar_feeds.filter(revoked_at__isnull=True).update(
        revoked_at=now(), revoked_by=actor)


@transaction.atomic
@audited("create_calendar_feed", actor="actor", subject="patient")
def create_calendar_feed(*, patient: Patient, actor: User) -> str:
    """A new feed token for the patient (shown once); any earlier feed stops working."""
    if not may_manage_feed(actor, patient):
        raise ServiceError("", "only the patient or their clinician can make a calendar link")
    Patient.objects.select_for_update().filter(pk=patient.pk).first()  # one at a time
    _revoke(patient, actor)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(patient=patient, token_hash=_hash(token), created_by=actor)
    return token


@transaction.atomic
@audited("revoke_calendar_feed", actor="actor", subject="patient")
def revoke_calendar_feed(*, patient: Patient, actor: User) -> bool:
    """Turn the patient's feed off; False when there was none."""
    if not may_manage_feed(actor, patient):
        raise ServiceError("", "only the patient or their clinician can turn a calendar link off")
    return _revoke(patient, actor) > 0


def find_calendar_feed(token: str) -> CalendarFeed | None:
    """The live feed for a token, with its patient; None for an unknown or revoked one, or when
    the patient's account is no longer active (a deactivated person's link stops at once)."""
    return (CalendarFeed.objects.select_related("patient")
            .filter(token_hash=_hash(token), revoked_at__isnull=True,
                    patient__user__is_active=True).first())
