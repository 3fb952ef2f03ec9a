"""Template context for every page: the idle-logoff timer and the account's second step."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from taper.web.accounts.models import RecoveryCodeDevice
from taper.web.accounts.policy import idle_seconds, mfa_enrolled, mfa_required


def session(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def two_step() -> dict[str, Any]:  # called only by the pages that show it
        codes = RecoveryCodeDevice.objects.filter(user=user).first()
        return {"enrolled": mfa_enrolled(user), "required": mfa_required(user),
                "codes_left": None if codes is None else codes.remaining()}

    return {"idle_seconds": idle_seconds(user), "idle_warning_seconds": settings.IDLE_WARNING_SECONDS,
            "two_step": two_step}
