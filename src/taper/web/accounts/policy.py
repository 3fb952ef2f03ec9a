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
    """Whether the user has a confirmed device of any kind: `user_has_device(user,
    confirmed=True)` asked in one statement instead of one query per kind of device (issue
    17: every request of a session without a verified device asks it)."""
    from django.db import connection
    from django_otp import device_classes  # type: ignore[attr-defined]

    if user.pk is None or user.is_anonymous:
        return bool(user_has_device(user, confirmed=True))
    kinds = [model._meta.db_table for model in device_classes()]
    if not kinds:
        return False
    ask = " OR ".join(f'EXISTS (SELECT 1 FROM "{table}" WHERE "user_id" = %s AND "confirmed" = %s)'
                      for table in kinds)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {ask}", [value for _ in kinds for value in (user.pk, True)])
        row = cursor.fetchone()
    return bool(row and row[0])


def idle_seconds(user: User) -> int:
    minutes = settings.PATIENT_IDLE_MINUTES if user.role == Role.PATIENT else settings.IDLE_MINUTES
    return int(minutes) * 60
