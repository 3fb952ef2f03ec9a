"""Personal API tokens: made once (only the SHA-256 is kept), named, revocable, rate-limited.

The rate limit is a fixed window per token held on the token's own row: at most
TAPER_TOKEN_RATE_LIMIT requests per minute. The check and the increment are one conditional
UPDATE, so concurrent requests, on one app server or several, never overshoot the limit.

So that an authenticated request does not write on every call (issue 17), a worker process
counts a small batch of requests at once (`lease`, one conditional UPDATE, also setting
`last_used_at`) and spends it from memory. Every request of the batch was counted before
it was answered, so the limit still holds across workers and servers; requests another
worker counted but did not use are lost for the window (a client may be refused up to
`batch − 1` requests early per other worker), which errs on the side of refusing.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils.timezone import now

from taper.web.clinic.audit.trail import audited
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import ApiToken, Role, User

PREFIX = "taper_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
@audited("create_api_token", actor="actor")
def create_api_token(*, user: User, name: str, actor: User | None) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret, to show once. `actor` None: the command line."""
    label = name.strip()
    if not label:
        raise ServiceError("name", "required: say what the token is for")
    if len(label) > 100:
        raise ServiceError("name", "at most 100 characters")
    if not user.is_active:
        raise ServiceError("email", "this account is not active")
    if user.role == Role.CARER:  # a carer reaches Today and the check-in only (HZ-192)
        raise ServiceError("", "a carer's account has no API tokens")
    if actor is not None and actor.pk != user.pk:
        raise ServiceError("", "a token can only be made for yourself")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=label, token_hash=_hash(secret),
                                    prefix=secret[:len(PREFIX) + 4])
    return token, secret


@transaction.atomic
@audited("revoke_api_token", actor="actor", subject="token")
def revoke_api_token(*, token: ApiToken, actor: User) -> bool:
    """Stop a token working at once; False when it was already revoked."""
    if token.user_id != actor.pk:
        raise ServiceError("", "only the token's owner can revoke it")
    return ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now()) > 0


def find_api_token(secret: str) -> ApiToken | None:
    """The live token for a secret, with its user; None if unknown, revoked or the user is inactive."""
    if not secret.startswith(PREFIX):
        return None
    return (ApiToken.objects.select_related("user")
            .filter(token_hash=_hash(secret), revoked_at__isnull=True, user__is_active=True)
            .first())


def window_of(at: datetime) -> datetime:
    size = settings.TOKEN_RATE_WINDOW_SECONDS
    return datetime.fromtimestamp(int(at.timestamp()) // size * size, tz=UTC)


def spend(token: ApiToken, at: datetime | None = None, count: int = 1) -> bool:
    """Count `count` requests against the token's window at once; False (and nothing
    counted) when the window has not room for all of them."""
    at = at or now()
    window = connection.ops.adapt_datetimefield_value(window_of(at))
    # One statement: the row is locked while its condition is checked and it is counted.
    # Written once as SQL (issue 17): the ORM took longer to build it than to run it.
    with connection.cursor() as cursor:
        cursor.execute(
            'UPDATE clinic_apitoken SET "window_count" = CASE WHEN "window_start" = %s'
            ' THEN "window_count" + %s ELSE %s END, "window_start" = %s, "last_used_at" = %s'
            ' WHERE "id" = %s AND ("window_start" IS NULL OR "window_start" <> %s'
            ' OR "window_count" <= %s)',
            [window, count, count, window, connection.ops.adapt_datetimefield_value(at),
             token.pk, window, settings.TOKEN_RATE_LIMIT - count])
        return bool(cursor.rowcount == 1)


MAX_BATCH = 20  # requests a worker counts at once when the limit is large


def batch_size() -> int:
    """A sixteenth of the limit, 1 to MAX_BATCH: a small limit is counted one by one."""
    return max(1, min(MAX_BATCH, settings.TOKEN_RATE_LIMIT // 16))


# This process's counted-but-unspent requests: token hash -> (window, requests left).
# Keyed by the hash, not the id, so a reused id never inherits another token's batch.
_held: dict[str, tuple[datetime, int]] = {}
_held_lock = threading.Lock()


def _take_held(key: str, window: datetime) -> bool:
    with _held_lock:
        window_held, left = _held.get(key, (window, 0))
        if window_held != window or left <= 0:
            return False
        _held[key] = (window, left - 1)
        return True


def lease(token: ApiToken, at: datetime | None = None) -> bool:
    """May this request go ahead under the token's limit? From the process's batch when it
    holds one for this window (no database write), else by counting a new batch (or, near
    the limit, this one request) in one conditional UPDATE. False: the window is full."""
    at = at or now()
    window = window_of(at)
    if _take_held(token.token_hash, window):
        return True
    size = batch_size()
    if spend(token, at, size):
        got = size
    elif size > 1 and spend(token, at):
        got = 1
    else:
        return False
    with _held_lock:
        if len(_held) > 10_000:  # old windows' batches are worthless: keep the dict small
            for key in [k for k, (w, _) in _held.items() if w != window]:
                del _held[key]
        _held[token.token_hash] = (window, got - 1)
    return True
