"""What keeps the hot paths cheap (issue 17), guarded without timing anything: the queries a
request makes, no write on an authenticated read, the token's rate limit counted in batches
that never pass the limit, and a database connection kept across requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from taper.web.clinic.models import ApiToken
from taper.web.clinic.services import tokens
from tests.web.apiclient import call, token_for
from tests.web.conftest import Cast

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_api_me_names_the_token_s_owner(cast: Cast, client: Client) -> None:
    answer = call(client, "get", "/api/me", token_for(cast.patient.user))
    assert answer.status_code == 200
    assert answer.json() == {"id": cast.patient.user.pk, "email": "sam@example.org", "role": "patient"}
    assert call(client, "get", "/api/me", "taper_not-a-real-token").status_code == 401


@override_settings(TOKEN_RATE_LIMIT=120)
def test_an_authenticated_read_writes_nothing_and_reads_only_the_token(
        cast: Cast, client: Client) -> None:
    secret = token_for(cast.clinician)
    assert call(client, "get", "/api/me", secret).status_code == 200  # counts a batch
    with CaptureQueriesContext(connection) as read:
        assert call(client, "get", "/api/me", secret).status_code == 200
    assert writes(read) == []
    assert len(read) == 1 and "clinic_apitoken" in read.captured_queries[0]["sql"]


@pytest.mark.hazard("HZ-220")
@override_settings(TOKEN_RATE_LIMIT=64)  # batches of 4
def test_batches_counted_by_two_workers_never_pass_the_limit(cast: Cast) -> None:
    token, _ = tokens.create_api_token(user=cast.clinician, name="ehr", actor=None)
    at = datetime(2026, 12, 4, 9, 0, 5, tzinfo=UTC)
    workers: list[dict[str, tuple[datetime, int]]] = [{}, {}]
    answers = []
    for n in range(80):  # the two workers take turns, each with its own memory
        tokens._held.clear()
        tokens._held.update(workers[n % 2])
        answers.append(tokens.lease(ApiToken.objects.get(pk=token.pk), at))
        workers[n % 2] = dict(tokens._held)
    tokens._held.clear()
    assert tokens.batch_size() == 4
    assert answers.count(True) == 64 and answers[64:] == [False] * 16
    assert ApiToken.objects.get(pk=token.pk).window_count == 64
    # The next window starts afresh, and the old window's batch is not spent in it.
    assert tokens.lease(ApiToken.objects.get(pk=token.pk), at + timedelta(seconds=60))
    assert ApiToken.objects.get(pk=token.pk).window_count == 4


@pytest.mark.hazard("HZ-220")
@override_settings(TOKEN_RATE_LIMIT=20)  # 20 // 16 = 1: a small limit is counted one by one
def test_near_the_limit_a_batch_shrinks_to_one_request(cast: Cast) -> None:
    token, _ = tokens.create_api_token(user=cast.clinician, name="ehr", actor=None)
    at = datetime(2026, 12, 4, 9, 0, 5, tzinfo=UTC)
    assert tokens.batch_size() == 1
    with override_settings(TOKEN_RATE_LIMIT=34):  # batches of 2; 33 counted, room for one
        assert tokens.batch_size() == 2
        ApiToken.objects.filter(pk=token.pk).update(window_start=tokens.window_of(at), window_count=33)
        assert tokens.lease(ApiToken.objects.get(pk=token.pk), at)
        assert ApiToken.objects.get(pk=token.pk).window_count == 34
        tokens._held.pop(token.token_hash, None)
        assert not tokens.lease(ApiToken.objects.get(pk=token.pk), at)


def test_the_connection_is_kept_on_both_databases(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from taper.web import settings as config

    for database in (config.sqlite_database(Path("/tmp/x.sqlite3")),
                     config.url_database("postgres://taper@localhost:5432/taper")):
        assert database["CONN_MAX_AGE"] == settings.CONN_MAX_AGE >= 60
        assert database["CONN_HEALTH_CHECKS"] is True
    sqlite = config.sqlite_database(Path("/tmp/x.sqlite3"))["OPTIONS"]
    assert sqlite["transaction_mode"] == "IMMEDIATE" and "journal_mode=WAL" in sqlite["init_command"]
    assert connection.settings_dict["CONN_MAX_AGE"] >= 60


def _two_requests_through_the_handler(secret: str) -> tuple[object, object]:
    """Two requests through Django's real WSGI handler (the test client keeps connections
    open whatever the settings; the handler closes them at request_finished unless kept)."""
    import io

    from django.core.handlers.wsgi import WSGIHandler

    handler, seen = WSGIHandler(), []
    for _ in range(2):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/api/me", "SERVER_NAME": "testserver",
                   "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
                   "HTTP_AUTHORIZATION": f"Bearer {secret}", "REMOTE_ADDR": "127.0.0.1"}
        response = handler(environ, lambda status, headers: None)
        assert response.status_code == 200
        response.close()  # what the server does: request_finished, close_old_connections
        seen.append(connection.connection)
    return seen[0], seen[1]


@pytest.mark.django_db(transaction=True)
def test_two_requests_share_one_connection(cast: Cast) -> None:
    first, second = _two_requests_through_the_handler(token_for(cast.clinician))
    assert first is not None and first is second
