"""Throttles for the doors an attacker can knock on without an account: self-registration,
password reset and invalid invitation or feed tokens (issue 16). Counted in the database,
so two app servers on one database share each count; a fixed window per scope.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from taper.web.accounts.client import client_ip
from taper.web.accounts.models import Throttle

KEEP_SECONDS = 86400  # rows of windows older than a day are removed as new windows open


def _key(scope: str, who: str) -> str:
    return hashlib.sha256(f"{scope}\0{who}".encode()).hexdigest()


def _window(per: int) -> int:
    t = int(time.time())
    return t - t % per


def _limit(scope: str) -> tuple[int, int]:
    limit, per = settings.THROTTLES[scope]
    return int(limit), int(per)


def count(scope: str, who: str) -> int:
    """Hits so far in this window."""
    _, per = _limit(scope)
    row = Throttle.objects.filter(key=_key(scope, who), window=_window(per)).first()
    return 0 if row is None else row.hits


def blocked(scope: str, who: str) -> bool:
    limit, _ = _limit(scope)
    return count(scope, who) >= limit


@transaction.atomic
def hit(scope: str, who: str) -> bool:
    """Count one more; True while the count is within the limit."""
    limit, per = _limit(scope)
    start = _window(per)
    row, created = Throttle.objects.get_or_create(key=_key(scope, who), window=start)
    if created:
        Throttle.objects.filter(window__lt=start - KEEP_SECONDS).delete()
    Throttle.objects.filter(pk=row.pk).update(hits=F("hits") + 1)
    hits = Throttle.objects.filter(pk=row.pk).values_list("hits", flat=True).get()
    return hits <= limit


def client(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"
