"""Two response rules for every request (issue 16).

NoStore: pages and API answers hold health data, so no browser, proxy or back button may
keep a copy (`Cache-Control: no-store`); only the static files may be cached.

ApiErrorsAsJson: a program under /api always gets `{"detail", "field"}` JSON, whatever
answered: Django's resolver (404), a wrong method (405), a body over the upload limit (413)
or an unexpected exception (500; logged, never shown). django-ninja's own handlers
(api/errors.py) answer the rest; this catches what never reaches them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
_WORDS = {400: "bad request", 404: "not found", 405: "method not allowed",
          413: "the body is too large", 429: "too many requests", 500: "server error; try again"}


class NoStore:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        if "no-store" not in response.get("Cache-Control", ""):  # a view's own stays as it is
            add_never_cache_headers(response)  # no-store, no-cache, must-revalidate, private
        return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX) and not request.path.startswith(
        f"{API_PREFIX}docs")


def _json_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "field": ""}, status=status)


class ApiErrorsAsJson:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _is_api(request) or response.status_code < 400 or _is_json(response):
            return response
        answer = _json_error(response.status_code,
                             _WORDS.get(response.status_code, "request refused"))
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                answer[header] = response[header]
        return answer

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _is_api(request):
            return None
        if isinstance(exception, RequestDataTooBig):
            return _json_error(413, f"the body must be at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE}"
                                    " bytes")
        if isinstance(exception, Http404 | PermissionDenied | BadRequest | SuspiciousOperation):
            return None  # Django answers 4xx; __call__ turns the page into JSON
        log.exception("unexpected error under /api", exc_info=exception)
        return _json_error(500, _WORDS[500])


def _is_json(response: HttpResponse) -> bool:
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    try:
        return isinstance(json.loads(response.content), dict)
    except (ValueError, AttributeError):
        return False
