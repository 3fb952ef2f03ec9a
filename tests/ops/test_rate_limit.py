"""The token rate limit holds when many requests read the token before any of them counts:
several workers, or several app servers, each with its own stale copy of the row."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.conf import settings

from taper.web.clinic import services
from taper.web.clinic.models import ApiToken
from taper.web.clinic.services.tokens import spend
from tests.web.conftest import Cast


@pytest.mark.hazard("HZ-169")
def test_requests_holding_a_stale_copy_of_the_token_never_pass_the_limit(cast: Cast) -> None:
    token, _ = services.create_api_token(user=cast.clinician, name="ehr", actor=None)
    at = datetime(2026, 12, 4, 9, 0, 5, tzinfo=UTC)
    stale = [ApiToken.objects.get(pk=token.pk) for _ in range(settings.TOKEN_RATE_LIMIT + 2)]
    answers = [spend(copy, at) for copy in stale]  # each read before any was counted
    assert answers == [True] * settings.TOKEN_RATE_LIMIT + [False, False]
    assert ApiToken.objects.get(pk=token.pk).window_count == settings.TOKEN_RATE_LIMIT
