"""Values every page template may use."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {"self_registration": settings.SELF_REGISTRATION, "demo_mode": settings.DEMO,
            "emergency_number": settings.TAPER_EMERGENCY_NUMBER}
