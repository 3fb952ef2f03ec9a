"""`/healthz`: the process answers. No database, no session, no audit row (a probe every
few seconds would bury the trail); it tells nothing about any record.
"""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("ok", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response
