"""Token paths never reach the audit trail or the access log (issue 16).

An invitation link and a calendar feed URL carry their secret in the path; anyone reading
the trail or the server log could use it. The segment after a token route's prefix, and any
long opaque segment (a future route's token, Django's password-reset token), is written as
`<redacted>`, keeping a suffix such as `.ics` so the row still says what was asked for.
"""

from __future__ import annotations

import logging
import re

REDACTED = "<redacted>"
# The segment after these is always a secret (urls.py: invitation/<token>/, feeds/<token>.ics,
# and Django's reset/<uidb64>/<token>/ should the password reset use that shape).
TOKEN_ROUTES = frozenset({"invitation", "feeds", "reset"})
# token_urlsafe(32) is 43 characters; no page of the app has a word segment this long.
OPAQUE = re.compile(r"[A-Za-z0-9_\-]{20,}")


def redact_path(path: str) -> str:
    """`path` with every token segment replaced by `<redacted>` (a suffix like `.ics` kept)."""
    parts = path.split("/")
    for i, part in enumerate(parts):
        if not part:
            continue
        stem, dot, suffix = part.partition(".")
        after_route = i > 0 and parts[i - 1] in TOKEN_ROUTES
        if after_route or OPAQUE.fullmatch(stem) or OPAQUE.fullmatch(part):
            keep = f".{suffix}" if dot and suffix.isalpha() and len(suffix) <= 4 else ""
            parts[i] = REDACTED + keep
    return "/".join(parts)


class RedactTokens(logging.Filter):
    """A logging filter: Django's own request lines ("Not Found: /feeds/…", runserver's
    "GET /invitation/…") carry the path; it is redacted before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_text(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = _redact_text(record.msg)
        return True


def _redact_text(text: str) -> str:
    """Every path-looking word of a log message redacted (a request line, a bare path)."""
    return re.sub(r"/[^\s\"'?]*", lambda m: redact_path(m.group(0)), text)
