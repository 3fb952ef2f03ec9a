"""The second factor's state changes: enrol a TOTP app, make recovery codes, remove both.
Each is one transaction with keyword-only arguments, as every service in the project."""

from __future__ import annotations

import secrets

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from taper.web.accounts.models import RecoveryCode, RecoveryCodeDevice, code_hash
from taper.web.accounts.policy import mfa_required
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import User

CODES = 10
# Crockford's base32 without look-alikes (no I, L, O, U): codes read aloud or typed from paper.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@transaction.atomic
def start_totp(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for `user` (any earlier unconfirmed one is dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def confirm_totp(*, user: User, device_id: int, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app with a code it shows; returns the device and fresh recovery codes."""
    device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        raise ServiceError("code", "this set-up has expired; start again")
    if not code.strip().isdigit() or not device.verify_token(code.strip()):
        raise ServiceError("code", "not the code your app shows now; type the 6 digits "
                                   "without spaces (a code lasts 30 seconds)")
    # The check above stays outside the transaction: a wrong code's back-off is kept.
    with transaction.atomic():
        return device, _confirm(user, device)


def _confirm(user: User, device: TOTPDevice) -> list[str]:
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(user=user)


@transaction.atomic
def new_recovery_codes(*, user: User) -> list[str]:
    """Ten new single-use codes, shown once; the old ones stop working."""
    device, _ = RecoveryCodeDevice.objects.get_or_create(
        user=user, defaults={"name": "Recovery codes", "confirmed": True})
    device.codes.all().delete()
    plain = ["".join(secrets.choice(ALPHABET) for _ in range(10)) for _ in range(CODES)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=code_hash(c)) for c in plain)
    return [f"{c[:5]}-{c[5:]}" for c in plain]


@transaction.atomic
def remove_second_factor(*, user: User) -> None:
    """Opt out (a patient, or anyone when the second factor is optional)."""
    if mfa_required(user):
        raise ServiceError("", "a clinician or administrator must keep a second factor")
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()


@transaction.atomic
def reset_second_factor(*, user: User) -> int:
    """An administrator's reset after a lost phone (`taper resetmfa`); returns devices removed."""
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get("otp_totp.TOTPDevice", 0)
    removed += RecoveryCodeDevice.objects.filter(user=user).delete()[1].get(
        "accounts.RecoveryCodeDevice", 0)
    return int(removed)
