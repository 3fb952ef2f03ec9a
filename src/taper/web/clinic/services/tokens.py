"""Personal API tokens: made once (only the SHA-256 is kept), named, revocable, rate-limited.

The rate limit is a fixed window per token held on the token's own row: at most
TAPER_TOKEN_RATE_LIMIT requests per minute. The check and the increment are one conditional
UPDATE, so concurrent requests, on one app server or several, never overshoot the limit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
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


def spend(token: ApiToken, at: datetime | None = None) -> bool:
    """Count one request against the token's window; False when the window is full."""
    at = at or now()
    window = window_of(at)
    room = ~Q(window_start=window) | Q(window_start__isnull=True) | Q(
        window_count__lt=settings.TOKEN_RATE_LIMIT)
    # One statement: the row is locked while its condition is checked and it is counted.
    return ApiToken.objects.filter(room, pk=token.pk).update(
        window_count=Case(When(window_start=window, then=F("window_count") + 1), default=Value(1)),
        window_start=window, last_used_at=at) == 1
