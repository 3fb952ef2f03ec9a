"""Who needs the second factor, and how long a session may sit idle."""

from __future__ import annotations

from django.conf import settings
from django_otp import user_has_device

from taper.web.clinic.models import Role, User

STAFF = (Role.CLINICIAN, Role.ADMIN)


def mfa_required(user: User) -> bool:
    """Clinicians and administrators when TAPER_MFA is "required" (production's default)."""
    return settings.MFA == "required" and user.role in STAFF


def mfa_enrolled(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def idle_seconds(user: User) -> int:
    minutes = settings.PATIENT_IDLE_MINUTES if user.role == Role.PATIENT else settings.IDLE_MINUTES
    return int(minutes) * 60
