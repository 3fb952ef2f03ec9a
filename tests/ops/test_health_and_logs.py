"""`/readyz` (database and migrations, 503 with a reason) and the request log (JSON or text,
one line per request, nothing secret in it)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from taper.web.clinic.models import AuditEvent
from taper.web.ops import logs
from tests.web import factories
from tests.web.conftest import Cast


@pytest.mark.hazard("HZ-171")
def test_readyz_is_ready_with_the_database_migrated(client: Client, db: None) -> None:
    answer = client.get("/readyz")
    assert (answer.status_code, answer.json(), answer["Cache-Control"]) == (
        200, {"ready": True}, "no-store")
    assert not AuditEvent.objects.exists()  # a probe every few seconds leaves no row


@pytest.mark.hazard("HZ-171")
@pytest.mark.django_db(transaction=True)
def test_readyz_is_503_naming_a_migration_not_applied(client: Client) -> None:
    recorder = MigrationRecorder(connection)
    last = recorder.migration_qs.filter(app="clinic").order_by("-id").first()
    assert last is not None
    recorder.record_unapplied("clinic", last.name)
    try:
        answer = client.get("/readyz")
        assert answer.status_code == 503
        assert answer.json() == {"ready": False, "reason": (
            f"migrations: 1 not applied (clinic.{last.name}); start the server with "
            "`taper serve`, which applies them first")}
    finally:
        recorder.record_applied("clinic", last.name)
    assert client.get("/readyz").status_code == 200


@pytest.mark.hazard("HZ-171")
def test_readyz_is_503_when_the_database_does_not_answer(
        client: Client, db: None, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    from django.db import OperationalError

    def down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError('connection to server at "db.internal" failed: password wrong')

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", down)
        answer = client.get("/readyz")
    assert (answer.status_code, answer.json()) == (
        503, {"ready": False, "reason": "database: does not answer"})
    assert "db.internal" not in answer.content.decode()  # the detail is for the log only
    assert "db.internal" in caplog.text


def test_healthz_stays_trivial(client: Client) -> None:
    assert client.get("/healthz").content == b"ok"  # no db fixture: a query would fail here


@pytest.fixture
def request_lines() -> Iterator[io.StringIO]:
    """The request logger's lines as the production handler formats them (JSON)."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logs.JsonFormatter())
    logs.request_log.addHandler(handler)
    try:
        yield out
    finally:
        logs.request_log.removeHandler(handler)


@pytest.mark.hazard("HZ-172")
def test_each_request_is_one_json_line_with_route_status_duration_and_user(
        cast: Cast, client: Client, request_lines: io.StringIO) -> None:
    client.force_login(cast.clinician)
    client.get(f"/patients/{cast.patient.pk}/?q=Sam+Patel")
    client.get("/no/such/page?token=abc")
    client.logout()
    lines = [json.loads(x) for x in request_lines.getvalue().splitlines()]
    assert [(x["route"], x["status"], x["user_id"], x["method"]) for x in lines] == [
        ("patient_detail", 200, cast.clinician.pk, "GET"), ("unknown", 404, cast.clinician.pk, "GET")]
    assert all(isinstance(x["duration_ms"], float) and x["duration_ms"] >= 0 for x in lines)
    assert {"time", "level", "logger"} <= set(lines[0]) and lines[0]["logger"] == "taper.request"


@pytest.mark.hazard("HZ-172")
def test_the_log_holds_no_path_query_token_or_health_data(
        cast: Cast, client: Client, request_lines: io.StringIO) -> None:
    feed = client.get("/feeds/not-a-real-token-s3cret.ics?x=1")  # a capability in the path
    client.force_login(cast.patient.user)
    today = factories.today_of(cast.patient)
    client.post("/checkin/", {"date": today.isoformat(), "spasticity": "3", "sleep_quality": "7",
                              "symptom_hallucinations": "2", "note": "I saw my late father"})
    client.post("/login/", {"username": cast.patient.user.email, "password": "wrong-password-x"})
    text = request_lines.getvalue()
    assert feed.status_code == 404 and text.count("\n") == 3
    for secret in ("s3cret", "x=1", "/feeds/", "hallucinations", "father", "wrong-password",
                   cast.patient.user.email, cast.patient.name, "Bearer", "sessionid"):
        assert secret not in text, secret
    assert [json.loads(x)["route"] for x in text.splitlines()] == [
        "calendar_feed", "checkin", "login"]


@pytest.mark.hazard("HZ-172")
def test_an_api_request_names_the_tokens_user_not_the_token(
        cast: Cast, client: Client, request_lines: io.StringIO) -> None:
    from taper.web.clinic import services

    _, secret = services.create_api_token(user=cast.clinician, name="ehr", actor=None)
    answer = client.get(f"/api/patients/{cast.patient.pk}/checkins", HTTP_AUTHORIZATION=f"Bearer {secret}")
    line = json.loads(request_lines.getvalue())
    assert answer.status_code == 200 and line["user_id"] == cast.clinician.pk
    assert secret not in request_lines.getvalue() and line["route"].startswith("api")


@pytest.mark.hazard("HZ-172")
def test_djangos_own_request_lines_lose_the_path() -> None:
    record = logging.makeLogRecord({"name": "django.request", "levelname": "ERROR",
                                    "msg": "%s: %s", "args": ("Internal Server Error",
                                                              "/invitation/s3cret/"),
                                    "request": "<WSGIRequest: GET '/invitation/s3cret/'>"})
    assert logs.NoPaths().filter(record)
    line = logs.JsonFormatter().format(record)
    assert "s3cret" not in line and json.loads(line)["message"] == "Internal Server Error"


def test_text_format_is_one_plain_line() -> None:
    record = logging.makeLogRecord({"name": "taper.request", "levelname": "INFO",
                                    "msg": "%(method)s %(route)s",
                                    "args": {"method": "GET", "route": "desk"}})
    assert logs.TextFormatter().format(record).endswith(" INFO taper.request GET desk")
    assert logs.logging_config("text")["formatters"]["taper"]["()"].endswith("TextFormatter")
    assert logs.logging_config("json")["formatters"]["taper"]["()"].endswith("JsonFormatter")
