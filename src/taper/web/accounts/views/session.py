"""How long this session has left before idle logoff; a POST counts as activity."""

from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_http_methods

from taper.web.accounts.middleware import LAST_SEEN
from taper.web.accounts.policy import idle_seconds
from taper.web.clinic.views.access import AuthedRequest


@login_required
@require_http_methods(["GET", "POST"])
def remaining(request: AuthedRequest) -> JsonResponse:
    if request.method == "POST":
        request.session[LAST_SEEN] = int(time.time())
    last = int(request.session.get(LAST_SEEN) or time.time())
    left = max(0, idle_seconds(request.user) - (int(time.time()) - last))
    response = JsonResponse({"remaining_seconds": left})
    response["Cache-Control"] = "private, no-store"
    return response
