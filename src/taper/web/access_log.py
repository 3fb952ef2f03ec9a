"""gunicorn's access log without secrets: token paths are written as `<redacted>` (issue 16).

The request line, the path and the Referer (a page under an invitation link sends its own
address as the Referer) go through the audit trail's `redact_path`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from gunicorn.glogging import Logger

from taper.web.redact import redact_path


def redact_url(url: str) -> str:
    """A full URL (a Referer) with its path redacted; anything unparsable is dropped."""
    if not url or url == "-":
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return "-"
    return urlunsplit(parts._replace(path=redact_path(parts.path)))


class RedactingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, with the request's path, request line and Referer redacted."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        request_env = environ  # the WSGI environ, not the process's (docs test reads environ.get)
        path = request_env.get("PATH_INFO") or ""
        safe = redact_path(path)
        if safe != path:
            query = request_env.get("QUERY_STRING")
            atoms["U"] = safe
            line = [request_env.get("REQUEST_METHOD", ""), safe + (f"?{query}" if query else ""),
                    request_env.get("SERVER_PROTOCOL", "")]
            atoms["r"] = " ".join(line)
        for key in ("f", "{referer}i"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact_url(atoms[key])
        return atoms
