"""Logins, failed logins (including those refused during an axes lockout) and logouts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from taper.web.clinic.audit.trail import record
from taper.web.clinic.models import AuditAction, User


@receiver(user_logged_in, dispatch_uid="taper-audit-login")
def logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record(AuditAction.LOGIN, "login", actor=user, record_type="user", record_id=user.pk,
           request=request)


@receiver(user_logged_out, dispatch_uid="taper-audit-logout")
def logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record(AuditAction.LOGOUT, "logout", actor=user, record_type="user", record_id=user.pk,
               request=request)


@receiver(user_login_failed, dispatch_uid="taper-audit-login-failed")
def login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                 **kwargs: Any) -> None:
    tried = str(credentials.get("username") or credentials.get("email") or "")[:254]
    known = User.objects.filter(email__iexact=tried).first() if tried else None
    record(AuditAction.LOGIN_FAILED, "login", actor=known, actor_email=tried,
           record_type="user", record_id=None if known is None else known.pk, request=request)
