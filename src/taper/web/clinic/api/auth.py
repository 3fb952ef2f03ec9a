"""Who is calling: a personal token (`Authorization: Bearer …`) for programs, or the
browser's session (with its CSRF token on writes). Tokens are rate-limited."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from taper.web.clinic.audit import trail
from taper.web.clinic.services.tokens import find_api_token, lease


class RateLimited(Exception):
    """The token spent its window; `retry_after` seconds until the next one."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many requests with this token; wait and try again")
        self.retry_after = retry_after


class PersonalToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from django.conf import settings
        from django.utils.timezone import now

        found = find_api_token(token.strip())
        if found is None:
            return None
        at = now()
        if not lease(found, at):
            size = settings.TOKEN_RATE_WINDOW_SECONDS
            raise RateLimited(size - int(at.timestamp()) % size)
        request.user = found.user  # the services, the access rules and the audit row read it
        trail.set_via(f"token {found.pk}")
        return found.user


class BrowserSession(SessionAuth):
    """The logged-in browser; unsafe methods need the CSRF token (X-CSRFToken)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None:
            trail.set_via("session")
        return user
