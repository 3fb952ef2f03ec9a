"""Values every page template may use."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {"self_registration": settings.SELF_REGISTRATION, "demo_mode": settings.DEMO,
            "emergency_number": settings.TAPER_EMERGENCY_NUMBER}


def absolute_url(request: HttpRequest, path: str) -> str:
    """A link to give out (an invitation, a calendar feed): in production always on
    TAPER_SITE_URL, never the Host a request happened to carry; in demo and debug runs the
    address the browser used (any port)."""
    if settings.PRODUCTION:
        return f"{settings.SITE_URL}{path}"
    return request.build_absolute_uri(path)
