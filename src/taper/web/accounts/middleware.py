"""Two gates on every request from a logged-in browser session, before any view runs:

1. Idle logoff (ASVS 5.0 V7.3.1, HIPAA §164.312(a)(2)(iii)): a session unused for longer
   than its limit is ended on the server, whatever the page's script did.
2. The second factor: a session that logged in with a password only reaches the pages to
   verify or enrol a second factor until it has one. On the API such a session counts as
   anonymous (401); API tokens are unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from taper.web.accounts.policy import idle_seconds, mfa_enrolled, mfa_required

LAST_SEEN = "taper_last_seen"
TOUCH_EVERY = 15  # seconds: a session is re-saved at most this often, not on every request
# Pages a half-logged-in session may reach (by path prefix): enrol/verify, log out, static.
OPEN = ("/account/two-step/setup/", "/account/two-step/verify/", "/logout/", "/static/",
        "/healthz")


class SessionGuard:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        early = None
        if request.user.is_authenticated:
            early = self._idle(request)
        if early is None and request.user.is_authenticated:
            early = self._second_factor(request)
        return early or self.get_response(request)

    def _idle(self, request: HttpRequest) -> HttpResponse | None:
        now = int(time.time())
        last = request.session.get(LAST_SEEN)
        if isinstance(last, int) and now - last > idle_seconds(request.user):  # type: ignore[arg-type]
            logout(request)
            if request.path.startswith("/api/"):
                request.user = AnonymousUser()
                return None  # the API answers 401 as for anyone without a session
            messages.info(request, "You were logged out because the page was not used for a "
                                   "while. Please log in again.")
            return redirect_to_login(request.get_full_path())
        if (request.path == reverse("session_remaining") and request.method == "GET"
                and isinstance(last, int)):
            return None  # asking how long is left does not itself count as activity
        if not isinstance(last, int) or now - last >= TOUCH_EVERY:
            request.session[LAST_SEEN] = now
        return None

    def _second_factor(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if user.is_verified():  # type: ignore[union-attr]
            return None
        enrolled = mfa_enrolled(user)  # type: ignore[arg-type]
        if not enrolled and not mfa_required(user):  # type: ignore[arg-type]
            return None
        if request.path.startswith(OPEN):
            return None
        if request.path.startswith("/api/"):
            request.user = AnonymousUser()
            return None
        target = "two_step_verify" if enrolled else "two_step_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
