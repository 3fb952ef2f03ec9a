"""Logs: one line per request, JSON by default (TAPER_LOG_FORMAT=json|text).

A request line holds the route's name, the method, the status, the duration and the user's
id, and nothing else: never the path or its query string (an invitation, a calendar feed and
a password reset carry a secret in the path), never a header, a token, a form or a body.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.utils.functional import empty

if TYPE_CHECKING:  # settings.py imports this module: no Django at import time
    from django.http import HttpRequest, HttpResponse

request_log = logging.getLogger("taper.request")

# The attributes every LogRecord has; anything else on a record came in `extra=` and is a field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
FIELDS = ("route", "method", "status", "duration_ms", "user_id")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, then the fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items()
                     if k not in _STANDARD and k != "request"})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class NoPaths(logging.Filter):
    """Django's request loggers say "Not Found: /feeds/<secret>.ics" and attach the request:
    keep the reason (and any traceback), drop the path and the request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == "%s: %s" and isinstance(record.args, tuple) and len(record.args) == 2:
            record.msg, record.args = "%s", (record.args[0],)
        if hasattr(record, "request"):
            record.request = None
        return True


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")


class RequestLogMiddleware:
    """First in the chain: it times the whole request and sees the answer that leaves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        began = time.perf_counter()
        response = self.get_response(request)
        fields = request_fields(request, response.status_code, time.perf_counter() - began)
        request_log.info("%(method)s %(route)s %(status)s %(duration_ms)sms user=%(user_id)s",
                         fields, extra=fields)
        return response


def request_fields(request: HttpRequest, status: int, seconds: float) -> dict[str, Any]:
    match = request.resolver_match
    if match is None or not match.url_name:
        route = "static" if request.path_info.startswith("/static/") else "unknown"
    else:
        route = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    user = getattr(request, "user", None)
    if getattr(user, "_wrapped", None) is empty:
        user = None  # nobody asked who it was (a probe): the log does not look it up either
    user_id = user.pk if user is not None and user.is_authenticated else None
    method = request.method if request.method in _METHODS else "OTHER"
    return {"route": route, "method": method, "status": status,
            "duration_ms": round(seconds * 1000, 1), "user_id": user_id}


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def logging_config(fmt: str) -> dict[str, Any]:
    """Django's LOGGING for TAPER_LOG_FORMAT: everything to standard error, one line each."""
    formatter = "taper.web.ops.logs.JsonFormatter" if fmt == "json" else "taper.web.ops.logs.TextFormatter"
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"taper": {"()": formatter}},
        "filters": {"no_paths": {"()": "taper.web.ops.logs.NoPaths"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "taper",
                                 "filters": ["no_paths"]}},
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            "taper.request": {"level": "INFO"},
            # Django's 4xx warnings would repeat what the request line says; its errors stay
            # (with their tracebacks), without the path (NoPaths).
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "ERROR"},
        },
    }
