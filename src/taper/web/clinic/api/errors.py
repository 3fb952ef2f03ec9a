"""Every error as JSON `{"detail": "...", "field": "..."}` with one status each:
401 no (valid) credentials, 403 a route for another role, 404 a record the caller may not
see (or none), 409 the record's state refuses (approving a plan that is not a draft),
422 a bad body (the field path from the engines' parsers), 429 a token over its limit.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from taper.web.clinic.api.auth import RateLimited
from taper.web.clinic.engine import ServiceError

PARAM_NAMES = {"payload"}  # the body parameter's own name is not part of the field path


def _answer(api: NinjaAPI, request: HttpRequest, status: int, detail: str,
            field: str = "") -> HttpResponse:
    return api.create_response(request, {"detail": detail, "field": field}, status=status)


def _validation(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    first: dict[str, Any] = exc.errors[0] if exc.errors else {}
    where = [str(p) for p in first.get("loc", ())]
    if where and where[0] in ("body", "query", "path", "header", "cookie"):
        where = where[1:]
    if where and where[0] in PARAM_NAMES:
        where = where[1:]
    return _answer(api, request, 422, str(first.get("msg", "invalid request")), ".".join(where))


def _http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        response = _answer(api, request, 401, "log in, or send 'Authorization: Bearer <token>'")
        response["WWW-Authenticate"] = 'Bearer realm="taper"'
        return response
    if exc.status_code == 400:  # ninja's "Cannot parse request body"
        return _answer(api, request, 422, "the body must be a JSON object")
    return _answer(api, request, exc.status_code, str(exc))


def _service(request: HttpRequest, exc: ServiceError, api: NinjaAPI) -> HttpResponse:
    return _answer(api, request, 422 if exc.field else 409, exc.message, exc.field)


def _rate(request: HttpRequest, exc: RateLimited, api: NinjaAPI) -> HttpResponse:
    response = _answer(api, request, 429, str(exc))
    response["Retry-After"] = str(exc.retry_after)
    return response


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(ValidationError, partial(_validation, api=api))
    api.add_exception_handler(HttpError, partial(_http_error, api=api))
    api.add_exception_handler(ServiceError, partial(_service, api=api))
    api.add_exception_handler(RateLimited, partial(_rate, api=api))
    api.add_exception_handler(Http404, lambda request, exc: _answer(api, request, 404, "not found"))
    api.add_exception_handler(PermissionDenied, lambda request, exc: _answer(
        api, request, 403, "not available to your role"))
