"""Throttle counters shared by every worker, and recovery codes kept only as hashes.

The TOTP devices themselves are django-otp's (`otp_totp.TOTPDevice`): a TOTP secret has to be
readable to check a code, so it is the one secret here not stored as a hash.
"""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.db import models, transaction
from django.utils.timezone import now
from django_otp.models import Device, ThrottlingMixin


class Throttle(models.Model):
    """Requests counted per (scope, client or address) in a fixed window, in the database so
    that every worker and every app server on it sees the same count. `key` is a SHA-256:
    the addresses counted are not kept readable here."""

    key = models.CharField(max_length=64)
    window = models.BigIntegerField()  # the window's start, in seconds since the epoch
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="throttle_one_row")]
        indexes = [models.Index(fields=["window"], name="throttle_window")]


def plain_code(code: str) -> str:
    """A recovery code as typed, with spaces, dashes and case ignored."""
    return "".join(c for c in code.upper() if c.isalnum())


def code_hash(code: str) -> str:
    """Codes carry 50 random bits, under ASVS 5.0 V6.5.2's 112: so they are kept as salted
    password hashes (the project's first hasher, Argon2), not a plain SHA-256."""
    return make_password(plain_code(code))


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """A second factor for a lost phone: ten single-use codes, stored as hashes."""

    def get_throttle_factor(self) -> int:
        return 1  # django-otp's back-off: 1, 2, 4 ... seconds after each wrong code

    def verify_token(self, token: str) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        typed = plain_code(str(token))
        used = 0
        with transaction.atomic():
            for code in self.codes.filter(used_at__isnull=True):
                if typed and check_password(typed, code.code_hash):
                    # Claimed by an UPDATE that only one of two racing requests can win.
                    used = RecoveryCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
                        used_at=now())
                    break
        if used:
            self.throttle_reset()
        else:
            self.throttle_increment()
        return bool(used)

    def remaining(self) -> int:
        return int(self.codes.filter(used_at__isnull=True).count())


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=255)
    used_at = models.DateTimeField(null=True, blank=True)
