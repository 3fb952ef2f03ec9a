"""Anonymous requests are counted, not written row by row (issue 16): a per-minute counter
per route, action and status. Someone not logged in sees no record (except a calendar feed,
whose export keeps its own row, naming the patient), so a flood of them — scanners, guessed
links, a script hammering the login page — would otherwise bury the trail's real rows.
Failed logins stay rows of their own (signals.py): they name the account tried.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.timezone import now

from taper.web.clinic.models import AnonymousTraffic


def count(*, event: str, action: str, status: int, at: datetime | None = None) -> None:
    """Add one to the counter of this minute, route, action and status."""
    key = {"minute": (at or now()).replace(second=0, microsecond=0), "event": event[:64],
           "action": action, "status": status}
    if AnonymousTraffic.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            AnonymousTraffic.objects.create(count=1, **key)
    except IntegrityError:  # another worker made this minute's counter first
        AnonymousTraffic.objects.filter(**key).update(count=F("count") + 1)
